// The diagnostic registry and plumbing: codes are unique and well formed,
// messages follow the wording rules, sorting is stable and drops duplicates,
// and the emitter counts by severity.
#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <set>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/emitter.h"

namespace flow::diag {
namespace {

TEST(DiagnosticRegistryTest, CodesAreUniqueAndMatchSeverity) {
  std::set<std::string_view> codes, names;
  static const std::regex code_format(R"([EW]\d{4})");
  for (Kind kind : AllKinds()) {
    const KindInfo& info = Info(kind);
    EXPECT_TRUE(codes.insert(info.code).second) << "duplicate code " << info.code;
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate name " << info.name;
    EXPECT_TRUE(std::regex_match(std::string(info.code), code_format)) << info.code;
    EXPECT_EQ(info.code[0] == 'W', info.severity == Severity::Warning) << info.code;
  }
  EXPECT_GT(codes.size(), 50u);
}

TEST(DiagnosticRegistryTest, MessagesFollowTheWordingRules) {
  for (Kind kind : AllKinds()) {
    const KindInfo& info = Info(kind);
    std::string_view format = info.format;
    ASSERT_FALSE(format.empty()) << info.code;
    EXPECT_FALSE(std::isupper(static_cast<unsigned char>(format[0]))) << info.code << ": starts uppercase";
    EXPECT_NE(format.back(), '.') << info.code << ": ends with a period";
    // Every format must accept its own placeholders (formatting with enough
    // arguments must not fail).
    std::string formatted = fmt::format(fmt::runtime(format), "a", "b", "c", "d");
    EXPECT_FALSE(formatted.empty()) << info.code;
  }
}

TEST(DiagnosticTest, SortIsByFileThenOffsetStableAndDeduplicated) {
  auto make = [](int file, uint32_t begin, Kind kind, std::string message) {
    return Diagnostic{kind, Info(kind).severity, {FileId{file}, begin, begin + 1}, std::move(message), {}, {}, {}};
  };
  std::vector<Diagnostic> ds = {
      make(1, 5, Kind::UnknownName, "b"),   make(0, 9, Kind::UnknownName, "c"),
      make(0, 2, Kind::TypeMismatch, "first"), make(0, 2, Kind::UnknownName, "second"),
      make(0, 9, Kind::UnknownName, "c"),   // exact duplicate of an earlier one
  };
  SortDiagnostics(ds);
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds[0].message, "first");
  EXPECT_EQ(ds[1].message, "second");
  EXPECT_EQ(ds[2].message, "c");
  EXPECT_EQ(ds[3].message, "b");
}

TEST(DiagnosticTest, EmitterFormatsAndCounts) {
  CollectingConsumer consumer;
  DiagnosticEmitter emitter(consumer);
  emitter.Emit({}, Kind::UnknownName, "nmae");
  emitter.Build({}, Kind::UnusedLet, "x").Note("did you mean `y`?").Label({}, "here").FixIt({}, "y").Emit();
  EXPECT_EQ(emitter.error_count(), 1);
  EXPECT_EQ(emitter.warning_count(), 1);
  EXPECT_TRUE(emitter.has_errors());
  ASSERT_EQ(consumer.diagnostics().size(), 2u);
  EXPECT_EQ(consumer.diagnostics()[0].message, "unknown name `nmae`");
  EXPECT_EQ(consumer.diagnostics()[1].notes.size(), 1u);
  EXPECT_EQ(consumer.diagnostics()[1].labels.size(), 1u);
  EXPECT_EQ(consumer.diagnostics()[1].fixits.size(), 1u);
  EXPECT_EQ(consumer.error_count(), 1);
  EXPECT_EQ(consumer.warning_count(), 1);
  EXPECT_EQ(SeverityName(Severity::Warning), "warning");
}

}  // namespace
}  // namespace flow::diag
