;; The standard library loaded into every interpreter (REFERENCE §2.6).
;; assoc is native (equal? keys, DECISIONS §A6); everything else is here.

;; Three- and four-level c[ad]r compositions (the two-level ones and caddr are native).
(define (caaar x) (car (car (car x))))
(define (caadr x) (car (car (cdr x))))
(define (cadar x) (car (cdr (car x))))
(define (cdddr x) (cdr (cdr (cdr x))))
(define (cdaar x) (cdr (car (car x))))
(define (cdadr x) (cdr (car (cdr x))))
(define (cddar x) (cdr (cdr (car x))))
(define (caaaar x) (car (car (car (car x)))))
(define (caaadr x) (car (car (car (cdr x)))))
(define (caadar x) (car (car (cdr (car x)))))
(define (caaddr x) (car (car (cdr (cdr x)))))
(define (cadaar x) (car (cdr (car (car x)))))
(define (cadadr x) (car (cdr (car (cdr x)))))
(define (caddar x) (car (cdr (cdr (car x)))))
(define (cadddr x) (car (cdr (cdr (cdr x)))))
(define (cdaaar x) (cdr (car (car (car x)))))
(define (cdaadr x) (cdr (car (car (cdr x)))))
(define (cdadar x) (cdr (car (cdr (car x)))))
(define (cdaddr x) (cdr (car (cdr (cdr x)))))
(define (cddaar x) (cdr (cdr (car (car x)))))
(define (cddadr x) (cdr (cdr (car (cdr x)))))
(define (cdddar x) (cdr (cdr (cdr (car x)))))
(define (cddddr x) (cdr (cdr (cdr (cdr x)))))

(define (zero? x) (= x 0))

(define (result-ref alist name)
  (let ((entry (assoc name alist)))
    (if entry
        (cdr entry)
        (error (format "result-ref: no result for '~a'" name)))))

;; Results: (ok v) and (err reason) are plain two-element lists.
(define (ok v) (list 'ok v))
(define (err reason) (list 'err reason))
(define (ok? r) (and (pair? r) (eq? (car r) 'ok)))
(define (err? r) (and (pair? r) (eq? (car r) 'err)))
(define (ok-value r) (cadr r))
(define (err-reason r) (cadr r))

(defmacro logf (fmt . args) `(log (format ,fmt ,@args)))
(defmacro errorf (fmt . args) `(error (format ,fmt ,@args)))

;; Shadowed by the special form of the same name; kept so the name is bound like the reference's.
(defmacro unless (c . body) `(if ,c () (begin ,@body)))

;; Runs body; calls (cleanup (ok result)) on success or (cleanup (err message)) on error, then
;; re-raises. The odd names keep the expansion clear of the caller's variables.
(defmacro with-cleanup (cleanup . body)
  `(let ((%wc-cleanup ,cleanup))
     (let ((%wc-result (guard (%wc-e (#t (%wc-cleanup (err %wc-e)) (error %wc-e)))
                         ,@body)))
       (%wc-cleanup (ok %wc-result))
       %wc-result)))

(defmacro define-service (var name . opts) (%define-service-expand var name opts))

(defmacro define-nodes bindings
  `(begin ,@(map (lambda (b) `(define ,(car b) (start ,(cadr b)))) bindings)))

(defmacro define-results (alist . bindings)
  `(begin ,@(map (lambda (b) `(define ,(car b) (result-ref ,alist ,(cadr b)))) bindings)))

(defmacro define-run args
  (let loop ((rest args) (kws '()))
    (if (and (pair? rest) (not (pair? (car rest))))
        (loop (cdr rest) (append kws (list (car rest))))
        `(begin
           (define _run_result_ (run (list ,@(map cadr rest)) ,@kws))
           ,@(map (lambda (b) `(define ,(car b) (result-ref _run_result_ ,(symbol->string (cadr b)))))
                  rest)))))

(defmacro define-then (name upstream params . body)
  `(define ,name (then ,upstream (lambda ,params ,@body) :name ,(symbol->string name))))
