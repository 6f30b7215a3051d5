/*
 * sample.h - a snapshot as `hunter live` publishes it (docs/dashboard.md):
 * one open BTCUSDT long with a protected tranche and its take-profit and
 * stop-loss orders, for the dashboard's tests.
 */
#ifndef HUNTER_TEST_DASHBOARD_SAMPLE_H
#define HUNTER_TEST_DASHBOARD_SAMPLE_H

#define SAMPLE_SNAPSHOT                                                                     \
	"{\"mode\":\"live\",\"updated_ms\":1737996900306,"                                    \
	"\"account\":{\"wallet\":\"1000.5\",\"unrealized\":\"-0.42\",\"margin_used\":\"20.1\","   \
	"\"exposure\":\"201\",\"equity\":\"1000.08\"},"                                       \
	"\"positions\":[{\"symbol\":\"BTCUSDT\",\"side\":\"LONG\",\"qty\":\"0.002\","             \
	"\"entry\":\"100500.1\",\"mark\":\"100290.1\",\"unrealized\":\"-0.42\"}],"                \
	"\"tranches\":[{\"symbol\":\"BTCUSDT\",\"id\":1,\"qty\":\"0.002\",\"entry\":\"100500.1\","  \
	"\"tp\":\"100801.6\",\"sl\":\"98992.6\",\"protected\":true}],"                            \
	"\"open_orders\":[{\"symbol\":\"BTCUSDT\",\"client_id\":\"h-tp-1\",\"side\":\"SELL\","    \
	"\"type\":\"LIMIT\",\"price\":\"100801.6\",\"stop_price\":\"0\",\"qty\":\"0.002\","         \
	"\"filled\":\"0\"},{\"symbol\":\"BTCUSDT\",\"client_id\":\"h-sl-1\",\"side\":\"SELL\","   \
	"\"type\":\"STOP_MARKET\",\"price\":\"0\",\"stop_price\":\"98992.6\",\"qty\":\"0.002\","    \
	"\"filled\":\"0\"}],"                                                                   \
	"\"health\":{\"stream_lag_ms\":35,\"reconnects\":1,\"weight_used\":120,"                  \
	"\"weight_limit\":2400,\"last_error\":\"\",\"kill_switch\":\"\",\"banned\":false}}"

#endif
