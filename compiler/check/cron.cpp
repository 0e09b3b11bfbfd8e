// Cron schedule validation for a workflow's `schedule` field: the five fields of
// Kubernetes CronJobs (minute hour day-of-month month day-of-week), each a
// comma-separated list of `*`, `N`, `N-M`, optionally `/STEP`, with month and
// weekday names; or one of the @macros.
#include "compiler/check/cron.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>

#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace flow::check {

namespace {

struct CronField {
  const char* name;
  int min, max;
  const char* const* names;  // index 0 corresponds to `min`, or null
};

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", nullptr};
const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

const CronField kFields[] = {
    {"minute", 0, 59, nullptr}, {"hour", 0, 23, nullptr}, {"day of month", 1, 31, nullptr},
    {"month", 1, 12, kMonths},  {"day of week", 0, 7, kDays},
};

bool ParseValue(llvm::StringRef text, const CronField& field, int* value) {
  if (text.empty()) return false;
  if (field.names) {
    for (int i = 0; field.names[i]; ++i) {
      if (text.equals_insensitive(field.names[i])) {
        *value = field.min + i;
        return true;
      }
    }
  }
  unsigned long long n = 0;
  if (text.getAsInteger(10, n) || n > 1000) return false;
  *value = static_cast<int>(n);
  return true;
}

std::string CheckItem(llvm::StringRef item, const CronField& field) {
  auto [range, step] = item.split('/');
  if (item.contains('/')) {
    unsigned long long s = 0;
    if (step.getAsInteger(10, s) || s == 0) return fmt::format("bad step `{}` in the {} field", step.str(), field.name);
  }
  if (range == "*") return "";
  auto [lo_text, hi_text] = range.split('-');
  int lo = 0, hi = 0;
  if (!ParseValue(lo_text, field, &lo)) return fmt::format("`{}` is not a valid {}", lo_text.str(), field.name);
  hi = lo;
  if (range.contains('-') && !ParseValue(hi_text, field, &hi))
    return fmt::format("`{}` is not a valid {}", hi_text.str(), field.name);
  if (lo < field.min || lo > field.max || hi < field.min || hi > field.max)
    return fmt::format("the {} field must be within {}-{}", field.name, field.min, field.max);
  if (hi < lo) return fmt::format("the range `{}` in the {} field is backwards", range.str(), field.name);
  return "";
}

}  // namespace

std::string CronError(const std::string& text) {
  llvm::StringRef trimmed = llvm::StringRef(text).trim();
  if (trimmed.startswith("@")) {
    for (const char* macro : {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
      if (trimmed == macro) return "";
    return "unknown macro; expected @hourly, @daily, @weekly, @monthly or @yearly";
  }
  llvm::SmallVector<llvm::StringRef, 8> parts;
  trimmed.split(parts, ' ', -1, /*KeepEmpty=*/false);
  if (parts.size() != 5)
    return fmt::format("expected 5 fields (minute hour day-of-month month day-of-week), found {}", parts.size());
  for (size_t i = 0; i < 5; ++i) {
    llvm::SmallVector<llvm::StringRef, 4> items;
    parts[i].split(items, ',', -1, /*KeepEmpty=*/true);
    for (llvm::StringRef item : items) {
      if (item.empty()) return fmt::format("empty list item in the {} field", kFields[i].name);
      std::string error = CheckItem(item, kFields[i]);
      if (!error.empty()) return error;
    }
  }
  return "";
}

}  // namespace flow::check
