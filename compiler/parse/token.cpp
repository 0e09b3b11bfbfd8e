#include "compiler/parse/token.h"

namespace flow::parse {

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
#define FLOW_TOKEN(Name, spelling) \
  case TokenKind::Name:            \
    return #Name;
#include "compiler/parse/token_kinds.def"
  }
  return "?";
}

std::string_view TokenKindSpelling(TokenKind kind) {
  switch (kind) {
#define FLOW_TOKEN(Name, spelling) \
  case TokenKind::Name:            \
    return spelling;
#include "compiler/parse/token_kinds.def"
  }
  return "?";
}

bool HasFixedSpelling(TokenKind kind) {
  return kind <= TokenKind::Percent || kind == TokenKind::StringOpen ||
         kind == TokenKind::TripleOpen || kind == TokenKind::StringClose ||
         kind == TokenKind::TripleClose || kind == TokenKind::InterpOpen ||
         kind == TokenKind::InterpClose;
}

}  // namespace flow::parse
