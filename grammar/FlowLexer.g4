// The Flow lexer. Modes implement string interpolation:
//   DEFAULT_MODE  code; `"` enters STR, `"""` enters TSTR
//   STR / TSTR    text of a regular / triple-quoted string; `{{` enters INTERP
//   INTERP        the expression inside `{{ }}`; `}}` returns to the string
// Braces nest: `{` pushes DEFAULT_MODE and `}` pops (the superclass makes a pop on
// an empty stack harmless), so a map literal or an `if` inside `{{ }}` works.
// The INTERP rules repeat the code tokens with `-> type(X)` (ANTLR has no mode
// inheritance); keep the two lists in sync. Comments go to their own channels so
// the formatter and editors still see them; stray characters go to ERRORS and are
// reported by the AST builder (E0003), not by the parser.
lexer grammar FlowLexer;

options { superClass = FlowLexerBase; }

@header {
#include "FlowLexerBase.h"
}

tokens { INTERP_OPEN }

channels { COMMENTS, DOCS, ERRORS }

// --- trivia ---------------------------------------------------------------
WS          : [ \t\r\n\f]+ -> skip ;
DOC_COMMENT : '##' (~[#\r\n] ~[\r\n]*)? -> channel(DOCS) ;
COMMENT     : '#' ~[\r\n]* -> channel(COMMENTS) ;

// --- keywords -----------------------------------------------------------------
K_IMPORT   : 'import' ;
K_AS       : 'as' ;
K_STRUCT   : 'struct' ;
K_ENUM     : 'enum' ;
K_CONST    : 'const' ;
K_TASK     : 'task' ;
K_WORKFLOW : 'workflow' ;
K_LET      : 'let' ;
K_AFTER    : 'after' ;
K_FINALLY  : 'finally' ;
K_RETURN   : 'return' ;
K_IF       : 'if' ;
K_ELSE     : 'else' ;
K_FOR      : 'for' ;
K_IN       : 'in' ;
K_LIMIT    : 'limit' ;
K_TRY      : 'try' ;
K_WITH     : 'with' ;
K_AND      : 'and' ;
K_OR       : 'or' ;
K_NOT      : 'not' ;
K_TRUE     : 'true' ;
K_FALSE    : 'false' ;
K_NONE     : 'none' ;

// --- punctuation --------------------------------------------------------------
LBRACE      : '{' -> pushMode(DEFAULT_MODE) ;
RBRACE      : '}' -> popMode ;
LPAREN      : '(' ;
RPAREN      : ')' ;
LBRACK      : '[' ;
RBRACK      : ']' ;
COMMA       : ',' ;
COLON       : ':' ;
DOT         : '.' ;
ARROW       : '->' ;
QQ          : '??' ;
QUESTION    : '?' ;
EQEQ        : '==' ;
NE          : '!=' ;
LE          : '<=' ;
GE          : '>=' ;
LT          : '<' ;
GT          : '>' ;
ASSIGN      : '=' ;
PLUS        : '+' ;
MINUS       : '-' ;
STAR        : '*' ;
SLASH       : '/' ;
PERCENT     : '%' ;

// --- literals -----------------------------------------------------------------
// Order matters on equal lengths: `1d` is a duration, `1e3` a float. A number
// glued to letters that form no literal (`2min`, `1.5h`, `3x`) is one BAD_NUMBER
// token, diagnosed once by the AST builder instead of as a cascade.
DURATION    : DIGITS DUR_UNIT (DIGITS DUR_UNIT)* ;
SIZE        : DIGITS SIZE_UNIT ;
FLOAT       : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT         : DIGITS ;
BAD_NUMBER  : DIGITS ('.' DIGITS)? [a-zA-Z_] [a-zA-Z0-9_]* ;
IDENT       : [a-zA-Z_] [a-zA-Z0-9_]* ;

TRIPLE_OPEN : '"""' -> pushMode(TSTR) ;
STRING_OPEN : '"' -> pushMode(STR) ;

ERROR_CHAR  : . -> channel(ERRORS) ;

fragment DIGITS    : [0-9] [0-9_]* ;
fragment DUR_UNIT  : 'ms' | [smhd] ;
fragment SIZE_UNIT : [KMGTP] 'i'? ;
fragment EXPONENT  : [eE] [+-]? DIGITS ;

// --- "regular string": escapes are decoded by the AST builder ------------------
mode STR;
STRING_CLOSE        : '"' -> popMode ;
STR_INTERP_OPEN     : '{{' -> type(INTERP_OPEN), pushMode(INTERP) ;
STR_ESCAPE          : '\\' ('{{' | ~[\r\n])? ;
STR_TEXT            : ~["\\{\r\n]+ ;
STR_BRACE           : '{' -> type(STR_TEXT) ;
STRING_UNTERMINATED : '\r'? '\n' -> popMode ;

// --- """triple string""": raw except `\{{` and `\"""` ---------------------------
mode TSTR;
TRIPLE_CLOSE        : '"""' '"'* -> popMode ;
TSTR_INTERP_OPEN    : '{{' -> type(INTERP_OPEN), pushMode(INTERP) ;
TSTR_ESCAPE         : ('\\{{' | '\\"""') -> type(STR_ESCAPE) ;
TSTR_TEXT           : ~["\\{]+ -> type(STR_TEXT) ;
TSTR_ONE            : ('"' | '\\' | '{') -> type(STR_TEXT) ;

// --- {{ interpolation }}: the code tokens again ----------------------------------
mode INTERP;
INTERP_CLOSE        : '}}' -> popMode ;
I_WS                : [ \t\r\n\f]+ -> skip ;
I_IMPORT   : 'import' -> type(K_IMPORT) ;
I_AS       : 'as' -> type(K_AS) ;
I_STRUCT   : 'struct' -> type(K_STRUCT) ;
I_ENUM     : 'enum' -> type(K_ENUM) ;
I_CONST    : 'const' -> type(K_CONST) ;
I_TASK     : 'task' -> type(K_TASK) ;
I_WORKFLOW : 'workflow' -> type(K_WORKFLOW) ;
I_LET      : 'let' -> type(K_LET) ;
I_AFTER    : 'after' -> type(K_AFTER) ;
I_FINALLY  : 'finally' -> type(K_FINALLY) ;
I_RETURN   : 'return' -> type(K_RETURN) ;
I_IF       : 'if' -> type(K_IF) ;
I_ELSE     : 'else' -> type(K_ELSE) ;
I_FOR      : 'for' -> type(K_FOR) ;
I_IN       : 'in' -> type(K_IN) ;
I_LIMIT    : 'limit' -> type(K_LIMIT) ;
I_TRY      : 'try' -> type(K_TRY) ;
I_WITH     : 'with' -> type(K_WITH) ;
I_AND      : 'and' -> type(K_AND) ;
I_OR       : 'or' -> type(K_OR) ;
I_NOT      : 'not' -> type(K_NOT) ;
I_TRUE     : 'true' -> type(K_TRUE) ;
I_FALSE    : 'false' -> type(K_FALSE) ;
I_NONE     : 'none' -> type(K_NONE) ;
I_LBRACE   : '{' -> type(LBRACE), pushMode(DEFAULT_MODE) ;
I_RBRACE   : '}' -> type(RBRACE), popMode ;
I_LPAREN   : '(' -> type(LPAREN) ;
I_RPAREN   : ')' -> type(RPAREN) ;
I_LBRACK   : '[' -> type(LBRACK) ;
I_RBRACK   : ']' -> type(RBRACK) ;
I_COMMA    : ',' -> type(COMMA) ;
I_COLON    : ':' -> type(COLON) ;
I_DOT      : '.' -> type(DOT) ;
I_ARROW    : '->' -> type(ARROW) ;
I_QQ       : '??' -> type(QQ) ;
I_QUESTION : '?' -> type(QUESTION) ;
I_EQEQ     : '==' -> type(EQEQ) ;
I_NE       : '!=' -> type(NE) ;
I_LE       : '<=' -> type(LE) ;
I_GE       : '>=' -> type(GE) ;
I_LT       : '<' -> type(LT) ;
I_GT       : '>' -> type(GT) ;
I_ASSIGN   : '=' -> type(ASSIGN) ;
I_PLUS     : '+' -> type(PLUS) ;
I_MINUS    : '-' -> type(MINUS) ;
I_STAR     : '*' -> type(STAR) ;
I_SLASH    : '/' -> type(SLASH) ;
I_PERCENT  : '%' -> type(PERCENT) ;
I_DURATION : DIGITS DUR_UNIT (DIGITS DUR_UNIT)* -> type(DURATION) ;
I_SIZE     : DIGITS SIZE_UNIT -> type(SIZE) ;
I_FLOAT    : (DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT) -> type(FLOAT) ;
I_INT      : DIGITS -> type(INT) ;
I_BAD_NUMBER : DIGITS ('.' DIGITS)? [a-zA-Z_] [a-zA-Z0-9_]* -> type(BAD_NUMBER) ;
I_IDENT    : [a-zA-Z_] [a-zA-Z0-9_]* -> type(IDENT) ;
I_TRIPLE_OPEN : '"""' -> type(TRIPLE_OPEN), pushMode(TSTR) ;
I_STRING_OPEN : '"' -> type(STRING_OPEN), pushMode(STR) ;
I_ERROR_CHAR  : . -> type(ERROR_CHAR), channel(ERRORS) ;
