#include "compiler/parse/literals.h"

#include <gtest/gtest.h>

#include <limits>

namespace flow::parse {
namespace {

TEST(DecodeIntTest, DigitsAndUnderscores) {
  EXPECT_EQ(DecodeInt("0"), 0);
  EXPECT_EQ(DecodeInt("42"), 42);
  EXPECT_EQ(DecodeInt("1_000"), 1000);
  EXPECT_EQ(DecodeInt("9223372036854775807"), std::numeric_limits<int64_t>::max());
}

TEST(DecodeIntTest, Overflow) {
  EXPECT_FALSE(DecodeInt("9223372036854775808").has_value());
  EXPECT_EQ(DecodeInt("9223372036854775808", /*negated=*/true), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(DecodeInt("9223372036854775809", true).has_value());
  EXPECT_FALSE(DecodeInt("99999999999999999999999").has_value());
  EXPECT_FALSE(DecodeInt("").has_value());
  EXPECT_FALSE(DecodeInt("12a").has_value());
}

TEST(DecodeFloatTest, Forms) {
  EXPECT_DOUBLE_EQ(*DecodeFloat("3.5"), 3.5);
  EXPECT_DOUBLE_EQ(*DecodeFloat("1e-3"), 0.001);
  EXPECT_DOUBLE_EQ(*DecodeFloat("2.5e+10"), 2.5e10);
  EXPECT_DOUBLE_EQ(*DecodeFloat("1_000.5"), 1000.5);
  EXPECT_DOUBLE_EQ(*DecodeFloat("1E3"), 1000.0);
}

TEST(DecodeFloatTest, Invalid) {
  EXPECT_FALSE(DecodeFloat("1e999").has_value());  // not finite
  EXPECT_FALSE(DecodeFloat("1e").has_value());
  EXPECT_FALSE(DecodeFloat(".5").has_value());
  EXPECT_FALSE(DecodeFloat("").has_value());
}

TEST(DecodeDurationTest, SingleUnits) {
  EXPECT_EQ(DecodeDuration("250ms"), 250);
  EXPECT_EQ(DecodeDuration("90s"), 90'000);
  EXPECT_EQ(DecodeDuration("5m"), 300'000);
  EXPECT_EQ(DecodeDuration("2h"), 7'200'000);
  EXPECT_EQ(DecodeDuration("1d"), 86'400'000);
  EXPECT_EQ(DecodeDuration("0s"), 0);
}

TEST(DecodeDurationTest, Combinations) {
  EXPECT_EQ(DecodeDuration("1h30m"), 5'400'000);
  EXPECT_EQ(DecodeDuration("1d2h3m4s5ms"), 86'400'000 + 7'200'000 + 180'000 + 4'000 + 5);
  EXPECT_EQ(DecodeDuration("1m30s"), 90'000);
}

TEST(DecodeDurationTest, Invalid) {
  EXPECT_FALSE(DecodeDuration("30m1h").has_value());  // ascending
  EXPECT_FALSE(DecodeDuration("1m1m").has_value());   // repeated
  EXPECT_FALSE(DecodeDuration("1x").has_value());
  EXPECT_FALSE(DecodeDuration("s").has_value());
  EXPECT_FALSE(DecodeDuration("").has_value());
  EXPECT_FALSE(DecodeDuration("99999999999999999d").has_value());  // overflow
}

TEST(DecodeSizeTest, BinaryAndDecimal) {
  EXPECT_EQ(DecodeSize("512Mi"), 512LL << 20);
  EXPECT_EQ(DecodeSize("2Gi"), 2LL << 30);
  EXPECT_EQ(DecodeSize("1Ki"), 1024);
  EXPECT_EQ(DecodeSize("1Ti"), 1LL << 40);
  EXPECT_EQ(DecodeSize("1Pi"), 1LL << 50);
  EXPECT_EQ(DecodeSize("1G"), 1'000'000'000);
  EXPECT_EQ(DecodeSize("100K"), 100'000);
  EXPECT_EQ(DecodeSize("10M"), 10'000'000);
  EXPECT_EQ(DecodeSize("1T"), 1'000'000'000'000);
  EXPECT_EQ(DecodeSize("3P"), 3'000'000'000'000'000);
}

TEST(DecodeSizeTest, Invalid) {
  EXPECT_FALSE(DecodeSize("1Xi").has_value());
  EXPECT_FALSE(DecodeSize("1Gx").has_value());
  EXPECT_FALSE(DecodeSize("10000Pi").has_value());  // overflow
  EXPECT_FALSE(DecodeSize("Gi").has_value());
  EXPECT_FALSE(DecodeSize("5").has_value());
}

TEST(ClassifyBadNumberTest, Kinds) {
  EXPECT_EQ(ClassifyBadNumber("2min"), BadNumberKind::Duration);
  EXPECT_EQ(ClassifyBadNumber("1.5h"), BadNumberKind::Duration);
  EXPECT_EQ(ClassifyBadNumber("1.5Gi"), BadNumberKind::Size);
  EXPECT_EQ(ClassifyBadNumber("1e"), BadNumberKind::Float);
  EXPECT_EQ(ClassifyBadNumber("3x"), BadNumberKind::Other);
}

TEST(DecodeEscapeTest, Known) {
  EXPECT_EQ(DecodeEscape("\\\""), "\"");
  EXPECT_EQ(DecodeEscape("\\\\"), "\\");
  EXPECT_EQ(DecodeEscape("\\n"), "\n");
  EXPECT_EQ(DecodeEscape("\\t"), "\t");
  EXPECT_EQ(DecodeEscape("\\r"), "\r");
  EXPECT_EQ(DecodeEscape("\\{{"), "{{");
}

TEST(DecodeEscapeTest, Unknown) {
  EXPECT_FALSE(DecodeEscape("\\q").has_value());
  EXPECT_FALSE(DecodeEscape("\\{").has_value());
  EXPECT_FALSE(DecodeEscape("\\").has_value());
}

TEST(DecodeTripleEscapeTest, OnlyBracesAndQuotes) {
  EXPECT_EQ(DecodeTripleEscape("\\{{"), "{{");
  EXPECT_EQ(DecodeTripleEscape("\\\"\"\""), "\"\"\"");
  EXPECT_EQ(DecodeTripleEscape("\\n"), "\\n");
}

std::vector<StringPiece> Text(std::string s) { return {StringPiece{std::move(s), false}}; }

TEST(DedentTest, DropsFirstNewlineAndIndent) {
  auto pieces = Text("\n    echo a\n      echo b\n    ");
  DedentTripleString(pieces);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].text, "echo a\n  echo b\n");
}

TEST(DedentTest, WhitespaceOnlyLinesDoNotCount) {
  auto pieces = Text("\n    a\n\n  \n    b\n  ");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "a\n\n\nb\n");
}

TEST(DedentTest, KeepsBackslashesAndQuotes) {
  auto pieces = Text("\n  sed 's/\\./x/' \\\n    | printf \"a\\n\"\n  ");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "sed 's/\\./x/' \\\n  | printf \"a\\n\"\n");
}

TEST(DedentTest, InterpolationCountsAsContent) {
  std::vector<StringPiece> pieces = {{"\n    echo ", false}, {"", true}, {"\n  ", false}, {"", true}, {"\n    ", false}};
  DedentTripleString(pieces);
  ASSERT_EQ(pieces.size(), 5u);
  EXPECT_EQ(pieces[0].text, "  echo ");
  EXPECT_EQ(pieces[2].text, "\n");
  EXPECT_EQ(pieces[4].text, "\n");
}

TEST(DedentTest, SingleLineLosesItsIndentOnly) {
  auto pieces = Text("  a  ");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "a  ");
}

TEST(DedentTest, CrLfBecomesLf) {
  auto pieces = Text("\r\n  a\r\n  b\r\n  ");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "a\nb\n");
}

TEST(DedentTest, TabsAreIndentation) {
  auto pieces = Text("\n\t\ta\n\t\t\tb\n\t");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "a\n\tb\n");
}

TEST(DedentTest, FirstLineWithContentIsKept) {
  auto pieces = Text("x\n  y\n");
  DedentTripleString(pieces);
  EXPECT_EQ(pieces[0].text, "x\n  y\n");
}

}  // namespace
}  // namespace flow::parse
