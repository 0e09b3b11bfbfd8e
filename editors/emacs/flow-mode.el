;;; flow-mode.el --- Major mode for the Flow workflow language -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages
;; URL: https://example.com/flow/flow

;;; Commentary:

;; Editing support for `.flow' files: syntax (comments `#', doc comments `##',
;; strings with `{{ expr }}' interpolation, triple-quoted scripts), font-lock,
;; indentation, and a Flymake backend that runs `flowc check --format json'.
;;
;;   (add-to-list 'load-path "/path/to/flow/editors/emacs")
;;   (require 'flow-mode)
;;   (add-hook 'flow-mode-hook #'flymake-mode)

;;; Code:

(require 'flymake)
(require 'json)
(require 'subr-x)

(defgroup flow nil
  "Support for the Flow workflow language."
  :group 'languages
  :prefix "flow-")

(defcustom flow-indent-offset 2
  "Number of columns of one indentation level."
  :type 'integer
  :safe #'integerp)

(defcustom flow-flowc-executable "flowc"
  "The `flowc' program used by the Flymake backend."
  :type 'string)

(defface flow-interpolation-delimiter-face
  '((t :inherit font-lock-preprocessor-face))
  "Face of the `{{' and `}}' around an interpolation.")

(defface flow-interpolation-face
  '((t :inherit font-lock-variable-name-face))
  "Face of the expression inside `{{ }}'.")

(defface flow-escape-face
  '((t :inherit font-lock-regexp-grouping-backslash))
  "Face of the `\\{{' escape in strings.")

(defface flow-duration-face
  '((t :inherit font-lock-constant-face))
  "Face of Duration and Size literals such as `1h30m' and `512Mi'.")

;;;; Syntax

(defvar flow-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (modify-syntax-entry ?' "." table)
    (dolist (c '(?+ ?- ?* ?/ ?% ?= ?< ?> ?? ?! ?. ?, ?: ?& ?| ?$ ?`))
      (modify-syntax-entry c "." table))
    table)
  "Syntax table of `flow-mode'.")

(defun flow--interpolation-end (start limit)
  "Position after the `}}' closing the interpolation whose body begins at START.
Braces nest and string literals inside are skipped. Nil if none before LIMIT."
  (save-excursion
    (goto-char start)
    (let ((depth 0) (end nil))
      (while (and (not end) (< (point) limit))
        (let ((c (char-after)))
          (cond
           ((eq c ?\")
            (forward-char 1)
            (while (and (< (point) limit) (not (memq (char-after) '(?\" ?\n))))
              (forward-char (if (eq (char-after) ?\\) 2 1)))
            (forward-char 1))
           ((eq c ?{) (setq depth (1+ depth)) (forward-char 1))
           ((and (eq c ?}) (> depth 0)) (setq depth (1- depth)) (forward-char 1))
           ((and (eq c ?}) (eq (char-after (1+ (point))) ?})) (setq end (+ (point) 2)))
           (t (forward-char 1)))))
      (and end (<= end limit) end))))

(defun flow--syntax-propertize (start end)
  "Mark triple quotes as string fences and quotes inside `{{ }}' as punctuation.
Works between START and END, in text order, so that each decision sees the
state the earlier ones produced."
  (goto-char start)
  (while (re-search-forward "\\(\"\"\"+\\)\\|\\({{\\)" end t)
    (let* ((mb (match-beginning 0))
           (me (match-end 0))
           (ppss (save-excursion (syntax-ppss mb)))
           (escaped (eq (char-before mb) ?\\)))
      (cond
       ((nth 4 ppss))                   ; in a comment: nothing to do
       ((match-beginning 1)
        (cond
         ((eq (nth 3 ppss) t)            ; in a triple string: the last three close it
          (unless escaped
            (let ((close (- me 3)))
              (put-text-property close (1+ close) 'syntax-table (string-to-syntax "|"))
              (put-text-property (1+ close) me 'syntax-table (string-to-syntax ".")))))
         ((nth 3 ppss)                   ; in a regular string: `"` ends it, rescan after
          (goto-char (1+ mb)))
         (t                              ; in code: opens a triple string
          (put-text-property mb (1+ mb) 'syntax-table (string-to-syntax "|"))
          (put-text-property (1+ mb) (+ mb 3) 'syntax-table (string-to-syntax "."))
          (goto-char (+ mb 3)))))
       ((and (nth 3 ppss) (not escaped))  ; `{{' in a string: hide its quotes
        (let ((close (flow--interpolation-end me (point-max))))
          (when close
            (save-excursion
              (goto-char me)
              (while (search-forward "\"" (- close 2) t)
                (put-text-property (1- (point)) (point) 'syntax-table (string-to-syntax "."))))
            (goto-char close))))))))

;;;; Font lock

(defconst flow--keywords
  '("if" "else" "for" "in" "limit" "try" "after" "finally" "return" "with"
    "import" "as" "and" "or" "not"))

(defconst flow--declaration-keywords '("struct" "enum" "const" "task" "workflow" "let"))

(defconst flow--types '("Int" "Float" "Bool" "String" "File" "Dir" "Duration" "Size" "List" "Map"))

(defconst flow--builtins
  '("len" "range" "enumerate" "zip" "flatten" "keys" "values" "contains" "join" "split"
    "replace" "basename" "dirname" "stem" "string" "int" "float" "min" "max" "sum" "round"
    "select_first" "defined" "sort" "lower" "upper" "trim" "starts_with" "ends_with" "abs" "raw"))

(defconst flow--fields
  '("image" "cpu" "memory" "gpu" "retries" "backoff" "timeout" "cache" "env" "script"
    "command" "shell" "schedule"))

(defun flow--match-interpolation (limit)
  "Font-lock matcher: the next `{{ expr }}' inside a string before LIMIT.
Group 1 and 3 are the delimiters, group 2 the expression."
  (let (found)
    (while (and (not found) (search-forward "{{" limit t))
      (let ((open (- (point) 2)))
        (when (and (nth 3 (save-excursion (syntax-ppss open)))
                   (not (eq (char-before open) ?\\)))
          (let ((close (flow--interpolation-end (point) (line-end-position))))
            (when close
              (set-match-data (list open close open (+ open 2) (+ open 2) (- close 2)
                                    (- close 2) close))
              (goto-char close)
              (setq found t))))))
    found))

(defun flow--match-in-code (regexp)
  "A font-lock matcher for REGEXP that skips strings and comments."
  (lambda (limit)
    (let (found)
      (while (and (not found) (re-search-forward regexp limit t))
        (unless (nth 8 (save-excursion (syntax-ppss (match-beginning 0))))
          (setq found t)))
      found)))

(defvar flow-font-lock-keywords
  `((,(concat "\\_<\\(task\\|workflow\\)\\_>[ \t]+\\(\\(?:\\sw\\|\\s_\\)+\\)")
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    (,(concat "\\_<\\(struct\\|enum\\)\\_>[ \t]+\\(\\(?:\\sw\\|\\s_\\)+\\)")
     (1 font-lock-keyword-face) (2 font-lock-type-face))
    (,(concat "\\_<\\(const\\|let\\)\\_>[ \t]+\\(\\(?:\\sw\\|\\s_\\)+\\)")
     (1 font-lock-keyword-face) (2 font-lock-variable-name-face))
    (,(regexp-opt (append flow--keywords flow--declaration-keywords) 'symbols) . font-lock-keyword-face)
    (,(regexp-opt '("true" "false" "none") 'symbols) . font-lock-constant-face)
    (,(regexp-opt flow--types 'symbols) . font-lock-type-face)
    ("\\_<[A-Z][A-Z0-9_]*[A-Z0-9]\\_>" . font-lock-constant-face)
    ("\\_<[A-Z][A-Za-z0-9_]*\\_>" . font-lock-type-face)
    (,(concat (regexp-opt flow--builtins 'symbols) "[ \t]*(") 1 font-lock-builtin-face)
    (,(concat "\\(?:^\\|[{,]\\)[ \t]*" (regexp-opt flow--fields 'symbols) "[ \t]*=[^=]")
     1 font-lock-builtin-face)
    ("\\_<[0-9][0-9_]*\\(?:\\(?:ms\\|[smhd]\\)\\(?:[0-9][0-9_]*\\(?:ms\\|[smhd]\\)\\)*\\|[KMGTP]i?\\)\\_>"
     . 'flow-duration-face)
    ("\\_<[0-9][0-9_]*\\(?:\\.[0-9][0-9_]*\\)?[A-Za-z_][A-Za-z0-9_]*\\_>" . font-lock-warning-face)
    ("\\_<out\\_>" . font-lock-variable-name-face)
    (flow--match-interpolation
     (1 'flow-interpolation-delimiter-face t)
     (2 'flow-interpolation-face t)
     (3 'flow-interpolation-delimiter-face t))
    ("\\(\\\\{{\\)" 1 'flow-escape-face prepend))
  "Font-lock rules of `flow-mode'.")

(defun flow--syntactic-face (state)
  "Face of the string or comment described by STATE.
Doc comments (`##', not `###') get `font-lock-doc-face'."
  (cond
   ((nth 3 state) font-lock-string-face)
   ((save-excursion
      (goto-char (nth 8 state))
      (looking-at-p "##\\(?:[^#]\\|$\\)"))
    font-lock-doc-face)
   (t font-lock-comment-face)))

;;;; Indentation

(defconst flow--continuation-re "[ \t]*\\(?:->\\|after\\_>\\)"
  "A line starting like this continues the statement above it.")

(defun flow--statement-indentation (pos)
  "Indentation of the statement whose line holds POS, above any continuation lines."
  (save-excursion
    (goto-char pos)
    (beginning-of-line)
    (while (and (looking-at-p flow--continuation-re)
                (progn (skip-chars-backward " \t\n") (not (bobp))))
      (beginning-of-line))
    (current-indentation)))

(defun flow-calculate-indentation ()
  "The column the current line should start at, or nil to leave it alone
\(the text of a triple-quoted string is literal)."
  (save-excursion
    (back-to-indentation)
    (let* ((ppss (syntax-ppss))
           (open (nth 1 ppss)))
      (cond
       ((nth 3 ppss)
        (when (looking-at-p "\"\"\"")
          (goto-char (nth 8 ppss))
          (current-indentation)))
       ((looking-at-p "[])}]")
        (if open (flow--statement-indentation open) 0))
       (t
        (let ((base (if open (+ (flow--statement-indentation open) flow-indent-offset) 0)))
          (cond
           ((looking-at-p "->") (+ (flow--statement-indentation (line-beginning-position 0))
                                   (* 2 flow-indent-offset)))
           ((looking-at-p "after\\_>") (+ base flow-indent-offset))
           (t base))))))))

(defun flow-indent-line ()
  "Indent the current line as Flow code."
  (interactive)
  (let ((column (flow-calculate-indentation)))
    (when column
      (if (<= (current-column) (current-indentation))
          (indent-line-to column)
        (save-excursion (indent-line-to column))))))

;;;; Flymake

(defvar-local flow--flymake-process nil
  "The running `flowc check' of this buffer, if any.")

(defun flow--flymake-parse (source output)
  "Flymake diagnostics for buffer SOURCE from OUTPUT of `flowc check'.
OUTPUT is what `flowc check --format json -' printed: one JSON object
per line.  Diagnostics about the buffer itself (file `<stdin>' or the
buffer's file) keep their range; those in imported files go on line 1."
  (let ((own (list "<stdin>" (and (buffer-file-name source) (expand-file-name (buffer-file-name source)))))
        diags)
    (dolist (line (split-string output "\n" t))
      (when (string-prefix-p "{" line)
        (let* ((obj (condition-case nil
                        (json-parse-string line :object-type 'alist :null-object nil)
                      (error nil)))
               (file (alist-get 'file obj))
               (ours (or (member file own)
                         (and file (member (expand-file-name file (buffer-local-value 'default-directory source))
                                           own))))
               (type (pcase (alist-get 'severity obj)
                       ("error" :error) ("warning" :warning) (_ :note)))
               (text (format "%s [%s]" (or (alist-get 'message obj) "") (or (alist-get 'code obj) ""))))
          (when obj
            (with-current-buffer source
              (save-restriction
                (widen)
                (let (beg end)
                  (if (and ours (integerp (alist-get 'line obj)) (> (alist-get 'line obj) 0))
                      (let ((line (alist-get 'line obj)) (col (or (alist-get 'column obj) 1))
                            (eline (alist-get 'end_line obj)) (ecol (alist-get 'end_column obj)))
                        (setq beg (flow--position line col))
                        (setq end (if (and (integerp eline) (integerp ecol) (> eline 0))
                                      (flow--position eline ecol)
                                    (save-excursion (goto-char beg) (line-end-position))))
                        (when (<= end beg) (setq end (min (point-max) (1+ beg)))))
                    (setq beg (point-min)
                          end (save-excursion (goto-char (point-min)) (line-end-position))
                          text (if file (format "%s: %s" file text) text)))
                  (push (flymake-make-diagnostic source beg end type text) diags))))))))
    (nreverse diags)))

(defun flow--position (line column)
  "Buffer position of 1-based LINE and 1-based byte COLUMN, clamped to the buffer."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (let ((eol (line-end-position)))
      (min eol (or (byte-to-position (+ (position-bytes (point)) (max 0 (1- column)))) eol)))))

(defun flow-flymake (report-fn &rest _args)
  "Flymake backend: run `flowc check --format json -' on the buffer's text.
Diagnostics are handed to REPORT-FN."
  (unless (executable-find flow-flowc-executable)
    (error "Cannot find `%s' (see `flow-flowc-executable')" flow-flowc-executable))
  (when (process-live-p flow--flymake-process)
    (kill-process flow--flymake-process))
  (let* ((source (current-buffer))
         (default-directory (if (buffer-file-name) (file-name-directory (buffer-file-name)) default-directory)))
    (save-restriction
      (widen)
      (setq flow--flymake-process
            (make-process
             :name "flow-flymake" :noquery t :connection-type 'pipe
             :buffer (generate-new-buffer " *flow-flymake*")
             :command (list flow-flowc-executable "check" "--format" "json" "--color=never" "-")
             :sentinel
             (lambda (proc _event)
               (when (memq (process-status proc) '(exit signal))
                 (unwind-protect
                     (if (with-current-buffer source (eq proc flow--flymake-process))
                         (let ((output (with-current-buffer (process-buffer proc) (buffer-string))))
                           (if (and (eq (process-status proc) 'exit) (<= (process-exit-status proc) 1))
                               (funcall report-fn (flow--flymake-parse source output))
                             (funcall report-fn :panic
                                      :explanation (format "flowc exited with %s: %s"
                                                           (process-exit-status proc) output))))
                       (flymake-log :warning "Canceling obsolete check %s" proc))
                   (kill-buffer (process-buffer proc)))))))
      (process-send-region flow--flymake-process (point-min) (point-max))
      (process-send-eof flow--flymake-process))))

;;;; Mode

;;;###autoload
(define-derived-mode flow-mode prog-mode "Flow"
  "Major mode for Flow workflow files (`.flow').
\\{flow-mode-map}"
  :syntax-table flow-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local comment-end "")
  (setq-local syntax-propertize-function #'flow--syntax-propertize)
  (setq-local font-lock-defaults
              '(flow-font-lock-keywords nil nil nil
                (font-lock-syntactic-face-function . flow--syntactic-face)))
  (setq-local indent-line-function #'flow-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width flow-indent-offset)
  (setq-local electric-indent-chars (append "{}()[]" electric-indent-chars))
  (setq-local compile-command
              (concat flow-flowc-executable " check "
                      (if buffer-file-name (shell-quote-argument (file-name-nondirectory buffer-file-name)) "")))
  (add-hook 'flymake-diagnostic-functions #'flow-flymake nil t))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.flow\\'" . flow-mode))

(provide 'flow-mode)
;;; flow-mode.el ends here
