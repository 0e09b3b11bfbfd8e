// Validation of cron schedules (a workflow's `schedule` field).
#pragma once

#include <string>

namespace flow::check {

/// "" if `text` is a valid schedule — five fields (minute hour day-of-month
/// month day-of-week), each a comma-separated list of `*`, `N` or `N-M` with an
/// optional `/STEP`, months and weekdays also by name — or one of @yearly,
/// @annually, @monthly, @weekly, @daily, @midnight, @hourly. Else the reason.
std::string CronError(const std::string& text);

}  // namespace flow::check
