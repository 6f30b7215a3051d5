/*
 * The event stream: each snapshot published reaches every connected
 * client as one `data:` message of compact JSON; a client that connects
 * later is sent the current one first.
 */
#include "harness.h"
#include "sample.h"

TestSuite(events, .init = scratch_make, .fini = scratch_remove, .timeout = 30);

static int open_stream(char *acc, size_t cap)
{
	int fd = client_send(dashboard_port(dash), "GET", "/api/events", "", NULL);
	acc[0] = '\0';
	char *head = NULL;
	for (int i = 0; i < 100 && !head; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		size_t len = strlen(acc);
		if (poll(&p, 1, 5000) <= 0)
			break;
		ssize_t got = read(fd, acc + len, cap - len - 1);
		cr_assert_gt(got, 0, "the stream closed: %s", acc);
		acc[len + (size_t)got] = '\0';
		head = strstr(acc, "\r\n\r\n");
	}
	cr_assert_not_null(head, "no headers: %s", acc);
	cr_assert(strstr(acc, "HTTP/1.1 200"), "%s", acc);
	cr_assert(strstr(acc, "content-type: text/event-stream"), "%s", acc);
	memmove(acc, head + 4, strlen(head + 4) + 1);
	return fd;
}

static void expect_snapshot(int fd, char *acc, size_t cap, const char *symbol)
{
	char *msg = client_event(fd, acc, cap, 5000);
	cr_assert_not_null(msg, "no event: %s", acc);
	cr_assert_null(strchr(msg, '\n'), "one line");
	cJSON *j = cJSON_Parse(msg);
	cr_assert_not_null(j, "%s", msg);
	cJSON *pos = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "positions"), 0);
	cr_assert_str_eq(JSON_STR(pos, "symbol"), symbol);
	cJSON_Delete(j);
	free(msg);
}

Test(events, every_publish_reaches_every_client)
{
	char acc1[1 << 16], acc2[1 << 16], acc3[1 << 16];
	dash_start(NULL);
	int a = open_stream(acc1, sizeof acc1), b = open_stream(acc2, sizeof acc2);
	cr_assert_null(client_event(a, acc1, sizeof acc1, 200), "nothing before a publish");
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	expect_snapshot(a, acc1, sizeof acc1, "BTCUSDT");
	expect_snapshot(b, acc2, sizeof acc2, "BTCUSDT");
	dashboard_publish(dash, "{\"positions\":[{\"symbol\":\"ETHUSDT\"}],\n\"mode\":\"live\"}");
	expect_snapshot(a, acc1, sizeof acc1, "ETHUSDT");
	expect_snapshot(b, acc2, sizeof acc2, "ETHUSDT");
	struct answer st;
	client_get(dashboard_port(dash), "/api/stats", &st);
	cr_assert(strstr(st.body, "\"event_clients\":2"), "%s", st.body);
	free(st.body);
	close(b);
	int c = open_stream(acc3, sizeof acc3);
	expect_snapshot(c, acc3, sizeof acc3, "ETHUSDT");
	close(a);
	close(c);
}
