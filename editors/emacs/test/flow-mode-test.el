;;; flow-mode-test.el --- ERT tests of flow-mode -*- lexical-binding: t; -*-

;;; Commentary:

;; Run: emacs --batch -Q -L editors/emacs -l editors/emacs/test/flow-mode-test.el \
;;        [--eval '(setq flow-test-flowc "/path/to/flowc")'] -f ert-run-tests-batch-and-exit
;; Font-lock faces at chosen places, indentation of the samples and examples,
;; the Flymake backend over canned JSON, and over a real flowc when one is given.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'flow-mode)

(defvar flow-test-flowc nil
  "The flowc for the end-to-end Flymake test; nil: `flowc' on PATH, if any.")

(defconst flow-test-dir (file-name-directory (or load-file-name buffer-file-name)))
(defconst flow-test-examples-dir (expand-file-name "../../../examples/" flow-test-dir))
(defconst flow-test-sample (expand-file-name "../../vim/test/indent_sample.flow" flow-test-dir))

(defmacro flow-test-with-text (text &rest body)
  "Run BODY in a `flow-mode' buffer holding TEXT, fontified."
  (declare (indent 1))
  `(with-temp-buffer
     (insert ,text)
     (flow-mode)
     (font-lock-ensure)
     (goto-char (point-min))
     ,@body))

(defun flow-test-face-at (needle &optional offset)
  "Faces at the first occurrence of NEEDLE after point (plus OFFSET), as a list."
  (save-excursion
    (should (let ((case-fold-search nil)) (search-forward needle nil t)))
    (let ((face (get-text-property (+ (match-beginning 0) (or offset 0)) 'face)))
      (if (listp face) face (list face)))))

(defmacro flow-test-face (needle face &optional offset)
  `(should (memq ,face (flow-test-face-at ,needle ,offset))))

(defmacro flow-test-no-face (needle face &optional offset)
  `(should-not (memq ,face (flow-test-face-at ,needle ,offset))))

;;;; Packaging

(ert-deftest flow-mode-byte-compiles-cleanly ()
  (let* ((source (locate-library "flow-mode.el"))
         (dir (make-temp-file "flow-mode-bc" t))
         (copy (expand-file-name "flow-mode.el" dir))
         (byte-compile-error-on-warn t))
    (unwind-protect
        (progn
          (copy-file source copy)
          (should (byte-compile-file copy)))
      (delete-directory dir t))))

(ert-deftest flow-mode-auto-mode ()
  (should (eq (cdr (assoc "\\.flow\\'" auto-mode-alist)) 'flow-mode)))

;;;; Font lock

(ert-deftest flow-font-lock-declarations ()
  (flow-test-with-text "## Doc.\n# plain\n### plain too\nimport \"./lib/x.flow\" as lib\nstruct Metrics { accuracy: Float }\nenum Split { a, b }\nconst IMAGE = \"alpine\"\ntask train(data: File) -> List[Metrics] {\n  image = IMAGE\n}\nworkflow main() -> Int {\n  let n = len([1])\n  return n\n}\n"
    (flow-test-face "## Doc" 'font-lock-doc-face)
    (flow-test-face "# plain" 'font-lock-comment-face 2)
    (flow-test-no-face "# plain" 'font-lock-doc-face)
    (flow-test-face "### plain too" 'font-lock-comment-face 4)
    (flow-test-face "import" 'font-lock-keyword-face)
    (flow-test-face "\"./lib" 'font-lock-string-face)
    (flow-test-face " as " 'font-lock-keyword-face 1)
    (flow-test-face "struct" 'font-lock-keyword-face)
    (flow-test-face "Metrics {" 'font-lock-type-face)
    (flow-test-face "Float" 'font-lock-type-face)
    (flow-test-face "Split" 'font-lock-type-face)
    (flow-test-face "IMAGE =" 'font-lock-variable-name-face)
    (flow-test-face "train" 'font-lock-function-name-face)
    (flow-test-face "List" 'font-lock-type-face)
    (flow-test-face "image" 'font-lock-builtin-face)
    (flow-test-face "= IMAGE" 'font-lock-constant-face 2)
    (flow-test-face "main" 'font-lock-function-name-face)
    (flow-test-face "len" 'font-lock-builtin-face)
    (flow-test-face "return" 'font-lock-keyword-face)))

(ert-deftest flow-font-lock-literals ()
  (flow-test-with-text "task t() -> File {\n  memory  = 16Gi\n  timeout = 1h30m\n  backoff = 250ms\n  bad     = 2min\n  cache   = true\n  gpu     = none\n  script  = \"x\"\n}\n"
    (flow-test-face "16Gi" 'flow-duration-face)
    (flow-test-face "1h30m" 'flow-duration-face)
    (flow-test-face "250ms" 'flow-duration-face)
    (flow-test-face "2min" 'font-lock-warning-face)
    (flow-test-face "true" 'font-lock-constant-face)
    (flow-test-face "none" 'font-lock-constant-face)))

(ert-deftest flow-font-lock-strings-and-interpolation ()
  (flow-test-with-text
      (concat "const A = \"a # not a comment {{x}} \\{{ lit\" # real comment\n"
              "const B = \"{{join(xs, \", \")}} # still string\"\n"
              "const C = \"{{ if ok { \"a\" } else { {\"k\": 1}[\"k\"] } }} end\"\n"
              "const D = 1\n")
    (flow-test-face "# not" 'font-lock-string-face)
    (flow-test-no-face "# not" 'font-lock-comment-face)
    (flow-test-face "{{x" 'flow-interpolation-delimiter-face)
    (flow-test-face "x}}" 'flow-interpolation-face)
    (flow-test-face "\\{{" 'flow-escape-face)
    (flow-test-face "# real" 'font-lock-comment-face 2)
    ;; The quotes of `", "' inside the interpolation do not end the string.
    (flow-test-face "# still" 'font-lock-string-face)
    (flow-test-face "join" 'flow-interpolation-face)
    (flow-test-face " end" 'font-lock-string-face)
    (flow-test-no-face " end" 'flow-interpolation-face)
    (flow-test-face "const D" 'font-lock-keyword-face)))

(ert-deftest flow-font-lock-triple-strings ()
  (flow-test-with-text
      (concat "task t(n: Int) -> File {\n"
              "  script = \"\"\"\n"
              "    # shell comment {{n}}\n"
              "    echo \"say \\\"hi\\\"\" '{{n}}' > {{out}}\n"
              "    echo done\"\"\"\"\n"
              "  cache = false\n"
              "  env = {\"A\": \"\"\"one \"quoted\" line\"\"\"}\n"
              "}\n")
    (flow-test-face "# shell" 'font-lock-string-face)
    (flow-test-no-face "# shell" 'font-lock-comment-face)
    (flow-test-face "{{n}}" 'flow-interpolation-delimiter-face)
    (flow-test-face "say" 'font-lock-string-face)
    (flow-test-face "out}}" 'flow-interpolation-face)
    (flow-test-face "done\"" 'font-lock-string-face 4)
    (flow-test-face "cache" 'font-lock-builtin-face)
    (flow-test-face "false" 'font-lock-constant-face)
    (flow-test-face "quoted" 'font-lock-string-face)
    (should (= 0 (car (syntax-ppss (point-max)))))
    (should-not (nth 3 (syntax-ppss (point-max))))))

(ert-deftest flow-comment-syntax ()
  (with-temp-buffer
    (flow-mode)
    (insert "let x = 1\n")
    (comment-region (point-min) (point-max))
    (should (equal (buffer-string) "# let x = 1\n"))
    (uncomment-region (point-min) (point-max))
    (should (equal (buffer-string) "let x = 1\n"))))

;;;; Indentation

(defun flow-test-code-lines (lines)
  "Indices of LINES outside triple-quoted strings, by counting unescaped quotes."
  (let ((inside nil) (i 0) code)
    (dolist (line lines)
      (unless inside (push i code))
      (let ((n (/ (- (length (replace-regexp-in-string "\\\\\"\"\"" "" line))
                     (length (replace-regexp-in-string "\"\"\"" "" (replace-regexp-in-string "\\\\\"\"\"" "" line))))
                  3)))
        (when (cl-oddp n) (setq inside (not inside))))
      (setq i (1+ i)))
    (nreverse code)))

(defun flow-test-reindent (file)
  "Check that indenting FILE as written, and with its code flattened, keeps it."
  (let* ((want (with-temp-buffer (insert-file-contents file) (buffer-string)))
         (lines (split-string want "\n")))
    (with-temp-buffer
      (insert want)
      (flow-mode)
      (indent-region (point-min) (point-max))
      (should (equal (list file (buffer-string)) (list file want)))
      (dolist (i (flow-test-code-lines lines))
        (goto-char (point-min))
        (forward-line i)
        (delete-horizontal-space))
      (indent-region (point-min) (point-max))
      (should (equal (list file (buffer-string)) (list file want))))))

(ert-deftest flow-indent-sample ()
  (flow-test-reindent flow-test-sample))

(ert-deftest flow-indent-examples ()
  (let ((files (directory-files-recursively flow-test-examples-dir "\\.flow\\'")))
    (should (>= (length files) 7))
    (dolist (file files) (flow-test-reindent file))))

(ert-deftest flow-indent-keeps-script-text ()
  (with-temp-buffer
    (insert "task t() -> File {\nscript = \"\"\"\n      odd   indentation\n  \"\"\"\n}\n")
    (flow-mode)
    (indent-region (point-min) (point-max))
    (should (equal (buffer-string)
                   "task t() -> File {\n  script = \"\"\"\n      odd   indentation\n  \"\"\"\n}\n"))))

;;;; Flymake

(defconst flow-test-json
  (concat
   "{\"file\":\"<stdin>\",\"line\":2,\"column\":10,\"end_line\":2,\"end_column\":15,\"severity\":\"error\",\"code\":\"E0102\",\"message\":\"unknown name `nmae`\",\"labels\":[],\"notes\":[],\"fixits\":[]}\n"
   "{\"file\":\"<stdin>\",\"line\":3,\"column\":7,\"end_line\":3,\"end_column\":8,\"severity\":\"warning\",\"code\":\"W0001\",\"message\":\"unused `let` binding `y`\",\"labels\":[],\"notes\":[],\"fixits\":[]}\n"
   "{\"file\":\"lib/other.flow\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":2,\"severity\":\"error\",\"code\":\"E0001\",\"message\":\"bad\",\"labels\":[],\"notes\":[],\"fixits\":[]}\n"
   "1 error emitted\n"))

(ert-deftest flow-flymake-parse-canned ()
  (with-temp-buffer
    (insert "workflow main() -> String {\n  return nmae\n  let y = 1\n}\n")
    (flow-mode)
    (let ((diags (flow--flymake-parse (current-buffer) flow-test-json)))
      (should (= (length diags) 3))
      (let ((d (nth 0 diags)))
        (should (eq (flymake-diagnostic-type d) :error))
        (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d)) "nmae"))
        (should (string-match-p "unknown name `nmae` \\[E0102\\]" (flymake-diagnostic-text d))))
      (let ((d (nth 1 diags)))
        (should (eq (flymake-diagnostic-type d) :warning))
        (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d)) "y")))
      (let ((d (nth 2 diags)))
        (should (= (flymake-diagnostic-beg d) (point-min)))
        (should (string-prefix-p "lib/other.flow: " (flymake-diagnostic-text d)))))))

(ert-deftest flow-flymake-parse-tolerates-junk ()
  (with-temp-buffer
    (insert "x\n")
    (flow-mode)
    (should (null (flow--flymake-parse (current-buffer) "{not json\nerror: something\n")))
    ;; Out-of-range positions are clamped into the buffer.
    (let ((d (car (flow--flymake-parse
                   (current-buffer)
                   "{\"file\":\"<stdin>\",\"line\":9,\"column\":99,\"end_line\":9,\"end_column\":120,\"severity\":\"error\",\"code\":\"E0001\",\"message\":\"m\"}"))))
      (should d)
      (should (<= (point-min) (flymake-diagnostic-beg d) (flymake-diagnostic-end d) (point-max))))))

(ert-deftest flow-flymake-real-flowc ()
  (unless flow-test-flowc (setq flow-test-flowc (executable-find "flowc")))
  (skip-unless (and flow-test-flowc (file-executable-p flow-test-flowc)))
  (with-temp-buffer
    (insert "workflow main() -> Int {\n  return missing_name\n}\n")
    (flow-mode)
    (let ((flow-flowc-executable flow-test-flowc)
          (reported :none))
      (flow-flymake (lambda (diags &rest _) (setq reported diags)))
      (with-timeout (20 (error "flowc did not answer"))
        (while (eq reported :none) (accept-process-output nil 0.05)))
      (should (listp reported))
      (should (cl-some (lambda (d)
                         (and (eq (flymake-diagnostic-type d) :error)
                              (= (line-number-at-pos (flymake-diagnostic-beg d)) 2)))
                       reported)))))

(provide 'flow-mode-test)
;;; flow-mode-test.el ends here
