#include "compiler/check/cron.h"

#include <gtest/gtest.h>

namespace flow::check {
namespace {

TEST(CronTest, AcceptsValidSchedules) {
  for (const char* ok : {"0 3 * * *", "*/15 * * * *", "0 0-6,22 1 jan-mar mon", "30 2 1,15 * 1-5", "0 0 * * 7",
                         "5 4 * DEC SUN", "  0 3 * * *  ", "@daily", "@hourly", "@yearly", "0-59/5 0-23/2 1-31 1-12 0-7"}) {
    EXPECT_EQ(CronError(ok), "") << ok;
  }
}

TEST(CronTest, RejectsInvalidSchedules) {
  EXPECT_EQ(CronError("0 25 * * *"), "the hour field must be within 0-23");
  EXPECT_EQ(CronError("0 3 * *"), "expected 5 fields (minute hour day-of-month month day-of-week), found 4");
  EXPECT_EQ(CronError("60 * * * *"), "the minute field must be within 0-59");
  EXPECT_EQ(CronError("* * 0 * *"), "the day of month field must be within 1-31");
  EXPECT_EQ(CronError("* * * 13 *"), "the month field must be within 1-12");
  EXPECT_EQ(CronError("*/0 * * * *"), "bad step `0` in the minute field");
  EXPECT_EQ(CronError("5-1 * * * *"), "the range `5-1` in the minute field is backwards");
  EXPECT_EQ(CronError("x * * * *"), "`x` is not a valid minute");
  EXPECT_EQ(CronError("1,,2 * * * *"), "empty list item in the minute field");
  EXPECT_NE(CronError("@sometimes"), "");
  EXPECT_NE(CronError(""), "");
}

}  // namespace
}  // namespace flow::check
