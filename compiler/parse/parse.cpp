// The only file that includes ANTLR-generated headers (STYLE rule 3): it lexes,
// runs the two-stage parse, reports syntax errors, and hands the parse tree to
// the AST builder (ast_builder.inc, compiled as part of this file). ANTLR throws;
// every exception is caught here.
#include "compiler/parse/parse.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <memory>

#include "FlowLexer.h"
#include "FlowParser.h"
#include "antlr4-runtime.h"
#include "compiler/base/file_system.h"
#include "compiler/parse/dfa_edge_cache.h"
#include "compiler/parse/error_budget.h"
#include "compiler/parse/literals.h"
#include "compiler/parse/match_token.h"
#include "compiler/parse/prescan.h"
#include "compiler/parse/syntax_message.h"
#include "compiler/parse/utf8.h"
#include "compiler/parse/windowed_tokens.h"

namespace flow::parse {
namespace {

using flowgen::FlowLexer;
using flowgen::FlowParser;

/// ANTLR marks conjured tokens and absent indexes with this value.
constexpr size_t kInvalidIndex = std::numeric_limits<size_t>::max();

/// A character stream over code points we decoded ourselves (invalid UTF-8
/// already replaced), so ANTLR never sees, or throws on, bad bytes.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string&& code_points) {
    _data = std::move(code_points);
    p = 0;
  }
  /// Frees the code points once the whole file is lexed (4 bytes a
  /// character, the biggest array alive while parsing). Nothing reads them
  /// afterwards: the parser works on token types, the AST builder spells
  /// tokens from the UTF-8 text, and ANTLR's own messages (which would print
  /// "<EOF>" for a token's text now) are never shown.
  void Release() {
    std::u32string().swap(_data);
    p = 0;
  }
};

/// Maps ANTLR token types to Flow's token kinds.
TokenKind KindOf(size_t type) {
  switch (type) {
    case FlowLexer::K_IMPORT: return TokenKind::Import;
    case FlowLexer::K_AS: return TokenKind::As;
    case FlowLexer::K_STRUCT: return TokenKind::Struct;
    case FlowLexer::K_ENUM: return TokenKind::Enum;
    case FlowLexer::K_CONST: return TokenKind::Const;
    case FlowLexer::K_TASK: return TokenKind::Task;
    case FlowLexer::K_WORKFLOW: return TokenKind::Workflow;
    case FlowLexer::K_LET: return TokenKind::Let;
    case FlowLexer::K_AFTER: return TokenKind::After;
    case FlowLexer::K_FINALLY: return TokenKind::Finally;
    case FlowLexer::K_RETURN: return TokenKind::Return;
    case FlowLexer::K_IF: return TokenKind::If;
    case FlowLexer::K_ELSE: return TokenKind::Else;
    case FlowLexer::K_FOR: return TokenKind::For;
    case FlowLexer::K_IN: return TokenKind::In;
    case FlowLexer::K_LIMIT: return TokenKind::Limit;
    case FlowLexer::K_TRY: return TokenKind::Try;
    case FlowLexer::K_WITH: return TokenKind::With;
    case FlowLexer::K_AND: return TokenKind::And;
    case FlowLexer::K_OR: return TokenKind::Or;
    case FlowLexer::K_NOT: return TokenKind::Not;
    case FlowLexer::K_TRUE: return TokenKind::True;
    case FlowLexer::K_FALSE: return TokenKind::False;
    case FlowLexer::K_NONE: return TokenKind::None;
    case FlowLexer::LPAREN: return TokenKind::LParen;
    case FlowLexer::RPAREN: return TokenKind::RParen;
    case FlowLexer::LBRACK: return TokenKind::LBracket;
    case FlowLexer::RBRACK: return TokenKind::RBracket;
    case FlowLexer::LBRACE: return TokenKind::LBrace;
    case FlowLexer::RBRACE: return TokenKind::RBrace;
    case FlowLexer::COMMA: return TokenKind::Comma;
    case FlowLexer::COLON: return TokenKind::Colon;
    case FlowLexer::DOT: return TokenKind::Dot;
    case FlowLexer::ARROW: return TokenKind::Arrow;
    case FlowLexer::QQ: return TokenKind::QuestionQuestion;
    case FlowLexer::QUESTION: return TokenKind::Question;
    case FlowLexer::EQEQ: return TokenKind::EqualEqual;
    case FlowLexer::NE: return TokenKind::NotEqual;
    case FlowLexer::LE: return TokenKind::LessEqual;
    case FlowLexer::GE: return TokenKind::GreaterEqual;
    case FlowLexer::LT: return TokenKind::Less;
    case FlowLexer::GT: return TokenKind::Greater;
    case FlowLexer::ASSIGN: return TokenKind::Assign;
    case FlowLexer::PLUS: return TokenKind::Plus;
    case FlowLexer::MINUS: return TokenKind::Minus;
    case FlowLexer::STAR: return TokenKind::Star;
    case FlowLexer::SLASH: return TokenKind::Slash;
    case FlowLexer::PERCENT: return TokenKind::Percent;
    case FlowLexer::DURATION: return TokenKind::Duration;
    case FlowLexer::SIZE: return TokenKind::Size;
    case FlowLexer::FLOAT: return TokenKind::Float;
    case FlowLexer::INT: return TokenKind::Int;
    case FlowLexer::BAD_NUMBER: return TokenKind::BadNumber;
    case FlowLexer::IDENT: return TokenKind::Ident;
    case FlowLexer::STRING_OPEN: return TokenKind::StringOpen;
    case FlowLexer::TRIPLE_OPEN: return TokenKind::TripleOpen;
    case FlowLexer::STRING_CLOSE: return TokenKind::StringClose;
    case FlowLexer::TRIPLE_CLOSE: return TokenKind::TripleClose;
    case FlowLexer::STR_TEXT: return TokenKind::StringText;
    case FlowLexer::STR_ESCAPE: return TokenKind::StringEscape;
    case FlowLexer::STRING_UNTERMINATED: return TokenKind::StringUnterminated;
    case FlowLexer::INTERP_OPEN: return TokenKind::InterpOpen;
    case FlowLexer::INTERP_CLOSE: return TokenKind::InterpClose;
    case FlowLexer::COMMENT: return TokenKind::Comment;
    case FlowLexer::DOC_COMMENT: return TokenKind::DocComment;
    case antlr4::Token::EOF: return TokenKind::EndOfFile;
    default: return TokenKind::Error;  // ERROR_CHAR (and nothing else reaches here)
  }
}

/// Tokens that begin a top-level declaration (where recovery resumes).
bool StartsDeclaration(size_t type) {
  return type == FlowLexer::K_IMPORT || type == FlowLexer::K_STRUCT || type == FlowLexer::K_ENUM ||
         type == FlowLexer::K_CONST || type == FlowLexer::K_TASK || type == FlowLexer::K_WORKFLOW;
}

bool IsConjured(const antlr4::Token* token) {
  return token == nullptr || token->getTokenIndex() == kInvalidIndex ||
         token->getStartIndex() == kInvalidIndex;
}

/// ANTLR's recovery, kept inside one declaration: declaration keywords are
/// reserved, so recovery never deletes one or skips past one. The next
/// declaration then parses on its own instead of being swallowed.
class DeclarationBoundedStrategy : public antlr4::DefaultErrorStrategy {
 protected:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* recognizer) override {
    if (StartsDeclaration(recognizer->getInputStream()->LA(1))) return nullptr;
    return antlr4::DefaultErrorStrategy::singleTokenDeletion(recognizer);
  }
  void consumeUntil(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& set) override {
    for (size_t type = recognizer->getInputStream()->LA(1);
         type != antlr4::Token::EOF && !set.contains(type) && !StartsDeclaration(type);
         type = recognizer->getInputStream()->LA(1))
      recognizer->consume();
  }
};

/// Everything the lexer produced for one file.
struct Lexed {
  DecodedText decoded;
  std::unique_ptr<CodePointStream> input;
  std::unique_ptr<FlowLexer> lexer;
  TokenTable tokens;
  ParserTokens parser_tokens;  // what the parser's token views read
  std::unique_ptr<LexedTokenSource> source;
  std::unique_ptr<WindowedTokenStream> stream;
  bool ok = false;
};

SourceRange TokenRange(const DecodedText& decoded, FileId file, const MatchedToken& token) {
  uint32_t begin = decoded.ByteOffset(token.start);
  uint32_t end = token.stop == kInvalidIndex || token.stop + 1 < token.start ? begin : decoded.ByteOffset(token.stop + 1);
  return SourceRange{file, begin, std::max(begin, end)};
}

/// Lexes the whole file into compact tokens; the parser's token objects are
/// made from them on demand, a statement at a time (windowed_tokens.h).
/// Files over the size limit are refused (the caller reports E0009); lexing
/// itself cannot fail, but ANTLR's exceptions are caught all the same.
void Lex(std::string_view text, FileId file, Lexed* out) {
  if (text.size() > kMaxFileBytes) return;
  out->decoded = DecodeUtf8(text);
  out->input = std::make_unique<CodePointStream>(std::move(out->decoded.code_points));
  out->lexer = std::make_unique<FlowLexer>(out->input.get());
  out->lexer->removeErrorListeners();
  UseCachingSimulator(*out->lexer);
  // Reserved, not touched: pages of the array that no token reaches are
  // never faulted in, while a doubling would copy it (old and new at once).
  // Whitespace is skipped, so dense code such as `f(a: 1, b: x)` stays
  // under one token per two bytes.
  out->tokens = TokenTable(file);
  out->tokens.reserve(text.size() / 2 + 64);
  antlr4::atn::LexerATNSimulator* simulator = out->lexer->getInterpreter<antlr4::atn::LexerATNSimulator>();
  try {
    while (true) {
      MatchedToken token = MatchNextToken(*out->lexer, *simulator);
      // The grammar has < 100 token types and 5 channels; a byte each holds
      // them (EOF, size_t(-1) in ANTLR, becomes kEofType).
      bool eof = token.type == antlr4::Token::EOF;
      if ((!eof && token.type >= TokenTable::kEofType) || token.channel > UINT8_MAX) return;
      out->tokens.push_back(KindOf(token.type), TokenRange(out->decoded, file, token),
                            eof ? TokenTable::kEofType : static_cast<uint8_t>(token.type),
                            static_cast<uint8_t>(token.channel));
      if (eof) break;
    }
  } catch (const std::exception&) {
    return;
  }
  out->input->Release();
  out->source = std::make_unique<LexedTokenSource>(out->input.get(), out->lexer->getSourceName());
  ParserTokens& parser_tokens = out->parser_tokens;
  parser_tokens.table = &out->tokens;
  parser_tokens.text = text;
  parser_tokens.source = out->source.get();
  parser_tokens.input = out->input.get();
  out->stream = std::make_unique<WindowedTokenStream>(parser_tokens);
  out->ok = true;
}

/// Turns ANTLR's syntax errors into E0001 with Flow's wording, dropping a
/// second error at the same token and respecting the file's error budget.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(const Lexed& lexed, std::string_view text, FileId file, ErrorBudget& budget,
                      bool quiet_at_eof)
      : lexed_(lexed), text_(text), file_(file), budget_(budget), quiet_at_eof_(quiet_at_eof) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr error) override {
    if (offending == nullptr || IsConjured(offending)) return;
    size_t index = offending->getTokenIndex();
    // An error at, or right after, the previous one is almost always its
    // echo (recovery resynchronising); one report per spot is enough. So is
    // an error right after a stray character, which was already reported
    // (E0003) and taken out of the parser's view.
    size_t before = PreviousSignificant(index);
    bool echo = last_index_ != kInvalidIndex && (index == last_index_ || before == last_index_);
    bool after_stray = before != kInvalidIndex && lexed_.tokens[before].kind == TokenKind::Error;
    last_index_ = index;
    if (echo || after_stray) return;
    TokenKind found = KindOf(offending->getType());
    if (found == TokenKind::EndOfFile && quiet_at_eof_) return;
    std::vector<TokenKind> expected = Expected(recognizer, error);
    if (expected.empty()) expected = InsideBrackets(index);
    SourceRange range = lexed_.tokens[index].range;
    std::string_view spelling = text_.substr(range.begin, range.end - range.begin);
    budget_.Emit(range, diag::Kind::SyntaxError, SyntaxErrorMessage(expected, found, spelling));
  }

 private:
  /// When ANTLR cannot say what it expected (the construct began before the
  /// offending token, as in `f(a b)`): right after an operand inside an
  /// unclosed `(` or `[`, the list goes on with `,` or ends with its closer.
  std::vector<TokenKind> InsideBrackets(size_t index) const {
    size_t before = PreviousSignificant(index);
    if (before == kInvalidIndex) return {};
    switch (lexed_.tokens[before].kind) {
      case TokenKind::Ident:
      case TokenKind::Int:
      case TokenKind::Float:
      case TokenKind::Duration:
      case TokenKind::Size:
      case TokenKind::True:
      case TokenKind::False:
      case TokenKind::None:
      case TokenKind::RParen:
      case TokenKind::RBracket:
      case TokenKind::RBrace:
      case TokenKind::StringClose:
        break;
      default:
        return {};
    }
    // The innermost bracket still open at `before`, looking back no further
    // than the start of the declaration.
    int depth = 0;
    for (size_t i = before + 1; i-- > 0;) {
      TokenKind kind = lexed_.tokens[i].kind;
      if (kind == TokenKind::Task || kind == TokenKind::Workflow || kind == TokenKind::Struct ||
          kind == TokenKind::Const || kind == TokenKind::Enum || kind == TokenKind::Import)
        return {};
      if (kind == TokenKind::RParen || kind == TokenKind::RBracket || kind == TokenKind::RBrace) ++depth;
      if (kind == TokenKind::LParen || kind == TokenKind::LBracket || kind == TokenKind::LBrace) {
        if (depth > 0) {
          --depth;
          continue;
        }
        // In ANTLR's order, so every such message reads the same way.
        if (kind == TokenKind::LParen) return {TokenKind::RParen, TokenKind::Comma};
        if (kind == TokenKind::LBracket) return {TokenKind::RBracket, TokenKind::Comma};
        return {};  // a block or a map: too many ways to go on
      }
    }
    return {};
  }

  /// The index of the closest token before `index` that is not a comment.
  size_t PreviousSignificant(size_t index) const {
    while (index > 0) {
      --index;
      TokenKind kind = lexed_.tokens[index].kind;
      if (kind != TokenKind::Comment && kind != TokenKind::DocComment) return index;
    }
    return kInvalidIndex;
  }

  static std::vector<TokenKind> Expected(antlr4::Recognizer* recognizer, std::exception_ptr error) {
    antlr4::misc::IntervalSet set;
    try {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const antlr4::NoViableAltException& e) {
          // The set is what could start the whole construct, which misleads
          // when the construct began before the offending token (`f(a b)`).
          if (e.getStartToken() != e.getOffendingToken()) return {};
          set = e.getExpectedTokens();
        } catch (const antlr4::RecognitionException& e) {
          set = e.getExpectedTokens();
        }
      } else {
        set = static_cast<antlr4::Parser*>(recognizer)->getExpectedTokens();
      }
    } catch (...) {
      return {};
    }
    std::vector<TokenKind> kinds;
    for (ssize_t type : set.toList()) {
      TokenKind kind = KindOf(static_cast<size_t>(type));
      if (kind != TokenKind::Error && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        kinds.push_back(kind);
    }
    return kinds;
  }

  const Lexed& lexed_;
  std::string_view text_;
  FileId file_;
  ErrorBudget& budget_;
  bool quiet_at_eof_;
  size_t last_index_ = kInvalidIndex;
};

#include "compiler/parse/ast_builder.inc"

/// Stage 1 for a task or workflow: its head, then its statements one at a
/// time, each statement's parse tree and tokens freed as soon as it is AST,
/// so a 10,000-statement workflow never has more than one statement's tree
/// in memory. Diagnostics of the AST builder are held back until the whole
/// declaration has parsed. Returns false (adding nothing to `module`) at the
/// first syntax error; ANTLR's bail-out exception propagates to the caller,
/// which then parses the declaration again with full LL and error recovery.
bool ParseCallableStreaming(FlowParser& parser, WindowedTokenStream& stream, const Lexed& lexed,
                            std::string_view text, FileId file, ErrorBudget& budget, ast::Module& module) {
  diag::CollectingConsumer held;
  diag::DiagnosticEmitter held_emitter(held);
  ErrorBudget held_budget(held_emitter);
  AstBuilder builder(lexed, text, file, held_budget, module);
  ast::CallableDecl* decl = builder.StartCallable(parser.callableHead());
  parser.getTreeTracker().reset();
  while (stream.LA(1) != FlowLexer::RBRACE) {
    if (stream.LA(1) == antlr4::Token::EOF) return false;
    size_t before = stream.index();
    builder.AddStatement(decl, parser.stmt());
    parser.getTreeTracker().reset();
    if (stream.index() == before) return false;
    stream.DropBefore(stream.index());
  }
  builder.FinishCallable(decl, stream.index());
  stream.consume();  // the `}`
  for (diag::Diagnostic& d : held.mutable_diagnostics())
    if (budget.Take(d.range)) budget.diags().Handle(std::move(d));
  return true;
}

}  // namespace

std::vector<Token> Tokenize(const SourceManager& sources, FileId file) {
  std::string_view text = sources.Text(file);
  Lexed lexed;
  Lex(text, file, &lexed);
  if (!lexed.ok) {
    uint32_t end = static_cast<uint32_t>(std::min<size_t>(text.size(), UINT32_MAX));
    return {Token{TokenKind::EndOfFile, SourceRange{file, end, end}}};
  }
  return lexed.tokens.ToTokens();
}

ast::Module ParseModule(const SourceManager& sources, FileId file, diag::DiagnosticEmitter& diags,
                        uint32_t first_node_id) {
  ast::Module module;
  module.file = file;
  module.arena = std::make_unique<ast::Arena>(first_node_id);
  std::string_view text = sources.Text(file);
  if (text.size() > kMaxFileBytes) {
    diags.Emit(SourceRange{file, 0, 0}, diag::Kind::FileTooLarge, std::to_string(text.size()),
               std::to_string(kMaxFileBytes));
    return module;
  }
  ErrorBudget budget(diags);
  Lexed lexed;
  Lex(text, file, &lexed);
  if (!lexed.ok) {
    budget.Emit(SourceRange{file, 0, 0}, diag::Kind::SyntaxError, "the file could not be read as Flow source");
    return module;
  }
  if (lexed.decoded.first_invalid) {
    uint32_t at = *lexed.decoded.first_invalid;
    budget.Emit(SourceRange{file, at, at + 1}, diag::Kind::InvalidUtf8);
  }
  PrescanResult scan = Prescan(lexed.tokens, text, lexed.decoded, budget);
  if (!scan.parse) return module;

  // One top-level declaration at a time: the parse tree of a declaration is
  // turned into AST and freed (Parser::reset) before the next one is parsed,
  // so memory stays proportional to the largest declaration, not the file.
  FlowParser parser(lexed.stream.get());
  UseCachingSimulator(parser);
  parser.removeErrorListeners();
  SyntaxErrorListener listener(lexed, text, file, budget, scan.unterminated_at_eof);
  AstBuilder builder(lexed, text, file, budget, module);
  WindowedTokenStream& stream = *lexed.stream;
  auto sll = std::make_shared<antlr4::BailErrorStrategy>();
  auto ll = std::make_shared<DeclarationBoundedStrategy>();
  while (stream.LA(1) != antlr4::Token::EOF && !budget.exhausted()) {
    size_t start = stream.index();
    if (!StartsDeclaration(stream.LA(1))) {
      // Not a declaration: report once, skip to the next declaration keyword.
      const antlr4::Token* bad = stream.LT(1);
      SourceRange range = lexed.tokens[bad->getTokenIndex()].range;
      budget.Emit(range, diag::Kind::SyntaxError,
                  SyntaxErrorMessage({TokenKind::Import, TokenKind::Struct, TokenKind::Enum, TokenKind::Const,
                                      TokenKind::Task, TokenKind::Workflow},
                                     KindOf(bad->getType()), text.substr(range.begin, range.end - range.begin)));
      while (stream.LA(1) != antlr4::Token::EOF && !StartsDeclaration(stream.LA(1))) stream.consume();
      continue;
    }
    // Stage 1: SLL prediction, bail at the first error. Nearly every valid
    // declaration parses here, several times faster than full LL. A task or
    // workflow is parsed one statement at a time (ParseCallableStreaming).
    FlowParser::TopDeclContext* tree = nullptr;
    bool streamed = false;
    try {
      parser.reset();  // frees the last declaration's parse tree...
      stream.seek(start);
      stream.DropBefore(start);  // ...so its tokens can go too
      parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
      parser.setErrorHandler(sll);
      parser.removeErrorListeners();
      size_t first = stream.LA(1);
      if (first == FlowLexer::K_TASK || first == FlowLexer::K_WORKFLOW) {
        streamed = ParseCallableStreaming(parser, stream, lexed, text, file, budget, module);
      } else {
        tree = parser.topDecl();
      }
    } catch (const std::exception&) {
      tree = nullptr;
      streamed = false;
    }
    if (streamed) continue;
    // Stage 2: full LL with error recovery and reporting.
    if (tree == nullptr) {
      try {
        parser.reset();
        stream.seek(start);
        parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
        parser.setErrorHandler(ll);
        parser.addErrorListener(&listener);
        tree = parser.topDecl();
      } catch (const std::exception&) {
        budget.Emit(lexed.tokens[start].range, diag::Kind::SyntaxError, "the parser gave up on this declaration");
        tree = nullptr;
      }
    }
    if (tree != nullptr) builder.BuildTopDecl(tree);
    if (stream.index() == start) stream.consume();  // always make progress
  }
  parser.reset();
  return module;
}

}  // namespace flow::parse
