;; Guile 3 version of bench/lisp/strings.reml (same program; Guile needs the R6RS folds imported).
(use-modules ((rnrs lists) #:select (fold-left fold-right)))
;; String building: 10^5 appends through an accumulator, plus number->string and substring.
(define (build i acc)
  (if (= i 100000)
      acc
      (build (+ i 1) (cons (string-append "item-" (number->string i) ";") acc))))
(define pieces (build 0 '()))
(define joined (apply string-append pieces))
(define (count-dashes s i n)
  (if (= i (string-length s)) n
      (count-dashes s (+ i 1) (if (string=? (substring s i (+ i 1)) "-") (+ n 1) n))))
(display (string-length joined))
(newline)
(display (count-dashes (substring joined 0 200000) 0 0))
(newline)
