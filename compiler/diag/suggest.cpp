#include "compiler/diag/suggest.h"

#include <algorithm>

namespace flow::diag {

namespace {
// True if `b` is `a` with two adjacent characters swapped ("nmae" / "name"), the
// commonest typo, which plain Levenshtein distance counts as two edits.
bool IsOneTransposition(llvm::StringRef a, llvm::StringRef b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i + 1 >= a.size()) return false;
  return a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}
}  // namespace

std::optional<std::string> Suggest(llvm::StringRef name, llvm::ArrayRef<std::string> candidates) {
  const unsigned bound = std::max<unsigned>(1, static_cast<unsigned>(name.size()) / 3);
  std::optional<std::string> best;
  unsigned best_distance = bound + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == name || candidate.empty()) continue;
    // edit_distance stops early once it exceeds the bound (MaxEditDistance).
    unsigned distance = name.edit_distance(candidate, /*AllowReplacements=*/true, bound);
    if (IsOneTransposition(name, candidate)) distance = 1;
    if (distance > bound) continue;
    if (distance < best_distance || (distance == best_distance && best && candidate < *best)) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string DidYouMean(llvm::StringRef suggestion) {
  return "did you mean `" + suggestion.str() + "`?";
}

}  // namespace flow::diag
