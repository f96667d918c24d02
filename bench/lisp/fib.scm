;; Guile 3 version of bench/lisp/fib.reml (same program; Guile needs the R6RS folds imported).
(use-modules ((rnrs lists) #:select (fold-left fold-right)))
;; Recursive (non-tail) Fibonacci: procedure calls and integer arithmetic.
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display (fib 27))
(newline)
