// "Did you mean ...?" suggestions for unknown names, as ninja's SpellcheckNode
// does: the closest candidate by edit distance, within a bound that grows with
// the length of the misspelled name.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>

namespace flow::diag {

/// The candidate closest to `name` by edit distance (replacements allowed), if
/// it is within max(1, len(name) / 3) edits (a swap of two adjacent characters
/// counts as one) and differs from `name`. Ties go to
/// the candidate that sorts first, so the answer does not depend on the order
/// of `candidates`.
std::optional<std::string> Suggest(llvm::StringRef name, llvm::ArrayRef<std::string> candidates);

/// The note text for a suggestion: "did you mean `x`?".
std::string DidYouMean(llvm::StringRef suggestion);

}  // namespace flow::diag
