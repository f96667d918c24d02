;; Guile 3 version of bench/lisp/lists.reml (same program; Guile needs the R6RS folds imported).
(use-modules ((rnrs lists) #:select (fold-left fold-right)))
;; map / filter / fold over 10^5-element lists, ten rounds.
(define xs (iota 100000))
(define (round k)
  (let* ((squares (map (lambda (x) (* x x)) xs))
         (evens (filter (lambda (x) (= (modulo x 2) 0)) squares))
         (sum (fold-left + k evens))
         (back (fold-right (lambda (x acc) (cons (+ x 1) acc)) '() xs)))
    (+ sum (length back))))
(define (rounds n acc) (if (= n 0) acc (rounds (- n 1) (+ acc (round n)))))
(display (rounds 10 0))
(newline)
