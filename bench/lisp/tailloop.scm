;; Guile 3 version of bench/lisp/tailloop.reml (same program; Guile needs the R6RS folds imported).
(use-modules ((rnrs lists) #:select (fold-left fold-right)))
;; A 10^7-step tail loop: proper tail calls must run in constant stack.
(define (count-up i acc)
  (if (= i 10000000) acc (count-up (+ i 1) (+ acc i))))
(display (count-up 0 0))
(newline)
