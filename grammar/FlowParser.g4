// The Flow parser grammar: syntax only (no actions, no semantic predicates).
// The AST builder (compiler/parse/ast_builder.cpp) turns the parse tree into
// ast::Module. Rules are shaped so that each alternative is its own sub-rule:
// the builder asks a context which child it has instead of casting.
//
// Newlines are insignificant. ANTLR recurses on nesting (brackets, braces,
// strings, prefix operators), which Prescan bounds before parsing (E0008).
parser grammar FlowParser;

options { tokenVocab = FlowLexer; }

flowFile    : topDecl* EOF ;
topDecl     : importDecl | structDecl | enumDecl | constDecl | taskDecl | workflowDecl ;

importDecl  : K_IMPORT stringLit (K_AS name)? ;
structDecl  : K_STRUCT name LBRACE (param COMMA?)* RBRACE ;
enumDecl    : K_ENUM name LBRACE (name (COMMA name)* COMMA?)? RBRACE ;
constDecl   : K_CONST name (COLON typeExpr)? ASSIGN expr ;
taskDecl    : K_TASK name paramList output? body ;
workflowDecl: K_WORKFLOW name paramList output? body ;
// Not reached from flowFile: the parser driver's fast path parses a task or
// workflow as this head, then its statements one `stmt` at a time, so that the
// parse tree never holds more than one statement (compiler/parse/parse.cpp).
callableHead: (K_TASK | K_WORKFLOW) name paramList output? LBRACE ;

paramList   : LPAREN (param (COMMA param)* COMMA?)? RPAREN ;
param       : name COLON typeExpr (ASSIGN expr)? ;
output      : ARROW typeExpr ;
body        : LBRACE stmt* RBRACE ;

// --- statements -------------------------------------------------------------------
stmt        : letStmt | fieldStmt | finallyStmt | returnStmt | exprStmt ;
letStmt     : K_LET name (COLON typeExpr)? ASSIGN expr afterClause? ;
fieldStmt   : name ASSIGN expr ;
finallyStmt : K_FINALLY block ;
returnStmt  : K_RETURN expr ;
exprStmt    : expr afterClause? ;
afterClause : K_AFTER name (COMMA name)* ;
block       : LBRACE stmt* RBRACE ;

// --- types ----------------------------------------------------------------------------
typeExpr    : typeAtom typeSuffix* ;
typeSuffix  : QUESTION | QQ ;
typeAtom    : namedType | recordType ;
namedType   : name (DOT name)? (LBRACK typeExpr (COMMA typeExpr)* COMMA? RBRACK)? ;
recordType  : LPAREN (typeField (COMMA typeField)* COMMA?)? RPAREN ;
typeField   : name COLON typeExpr ;

// --- expressions ----------------------------------------------------------------------
// One left-recursive rule: ANTLR turns it into a precedence-climbing loop, so a
// primary costs two contexts instead of one per precedence level. Alternatives
// are listed from the tightest binding to the loosest: postfixes; prefix `-`
// and `try`; `* / %`; `+ -`; comparisons (the builder rejects chains); `not`;
// `and`; `or`; `??` (right-associative).
expr
  : expr callSuffix
  | expr DOT name
  | expr LBRACK expr RBRACK
  | primary
  // A bare name, the commonest operand, straight under `expr`: one context
  // instead of three (expr, primary, name), which is most of the parse tree
  // of a long list of names. After `primary`, so `Name {}` stays a struct.
  | IDENT
  | prefixOp expr
  | expr mulOp expr
  | expr addOp expr
  | expr cmpOp expr
  | K_NOT expr
  | expr K_AND expr
  | expr K_OR expr
  | <assoc=right> expr QQ expr
  ;
prefixOp    : MINUS | K_TRY ;
mulOp       : STAR | SLASH | PERCENT ;
addOp       : PLUS | MINUS ;
cmpOp       : EQEQ | NE | LT | LE | GT | GE ;
callSuffix  : LPAREN (arg (COMMA arg)* COMMA?)? RPAREN withClause? ;
arg         : (name COLON)? expr ;
withClause  : K_WITH LBRACE (withField COMMA?)* RBRACE ;
withField   : name ASSIGN expr ;

primary
  : literal
  | stringLit
  | structLit
  | K_LIMIT  // the contextual keywords used as names (see `name`); IDENT is
  | K_AS     // an alternative of `expr` itself
  | parenExpr
  | recordLit
  | listComp
  | listLit
  | mapLit
  | ifExpr
  | forExpr
  ;
literal     : INT | FLOAT | DURATION | SIZE | BAD_NUMBER | K_TRUE | K_FALSE | K_NONE ;
// `Name { f: v }`: only with `name :` pairs or empty braces, so `if c { x }` and
// `for x in xs { body }` keep their meaning (ALL(*) looks ahead to decide).
structLit   : name (DOT name)? LBRACE (fieldInit (COMMA fieldInit)* COMMA?)? RBRACE ;
fieldInit   : name COLON expr ;
parenExpr   : LPAREN expr RPAREN ;
recordLit   : LPAREN fieldInit (COMMA fieldInit)* COMMA? RPAREN ;
listComp    : LBRACK forExpr RBRACK ;
listLit     : LBRACK (expr (COMMA expr)* COMMA?)? RBRACK ;
mapLit      : LBRACE (mapEntry (COMMA mapEntry)* COMMA?)? RBRACE ;
mapEntry    : expr COLON expr ;
// `else if` is a loop, not recursion; the builder nests the IfExprs.
ifExpr      : K_IF expr block elseIf* elseBlock? ;
elseIf      : K_ELSE K_IF expr block ;
elseBlock   : K_ELSE block ;
forExpr     : K_FOR forVars K_IN expr (K_LIMIT expr)? block ;
forVars     : name | LPAREN name COMMA name RPAREN ;

// Contextual keywords usable as names: `limit` and `as` only mean something
// right after `for ... in EXPR` and `import "..."`.
name        : IDENT | K_LIMIT | K_AS ;

stringLit   : STRING_OPEN stringPart* (STRING_CLOSE | STRING_UNTERMINATED)
            | TRIPLE_OPEN stringPart* TRIPLE_CLOSE ;
stringPart  : STR_TEXT | STR_ESCAPE | interpolation ;
interpolation : INTERP_OPEN expr INTERP_CLOSE ;
