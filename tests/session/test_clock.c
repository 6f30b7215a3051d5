/*
 * The live clock with scripted times: what it says before it knows, how
 * server samples and events move it, and that it never goes back.
 */
#include <criterion/criterion.h>

#include "session.h"

Test(clock, unknown_until_a_sample_or_an_event)
{
	struct session_clock c;
	session_clock_init(&c);
	cr_assert_eq(session_clock_now(&c, 1000), INT64_MIN);
	session_clock_event(&c, 1000, 5000);
	cr_assert_eq(session_clock_now(&c, 1000), 5000);
	cr_assert_eq(session_clock_now(&c, 1250), 5250);
}

Test(clock, server_time_is_the_midpoint_of_the_round_trip)
{
	struct session_clock c;
	session_clock_init(&c);
	/* sent at 100, answered at 140: the server stamped 10020 at about 120 */
	session_clock_server(&c, 100, 140, 10020);
	cr_assert_eq(session_clock_now(&c, 120), 10020);
	cr_assert_eq(session_clock_now(&c, 1120), 11020);
}

Test(clock, a_shorter_round_trip_replaces_a_longer_one_only)
{
	struct session_clock c;
	session_clock_init(&c);
	session_clock_server(&c, 0, 100, 10050);   /* offset 10000, rtt 100 */
	session_clock_server(&c, 200, 400, 99999); /* rtt 200: ignored */
	cr_assert_eq(c.offset_ms, 10000);
	session_clock_server(&c, 500, 510, 10503); /* rtt 10: offset 9998 */
	cr_assert_eq(c.offset_ms, 9998);
	session_clock_server(&c, 600, 590, 0);     /* negative rtt: ignored */
	cr_assert_eq(c.offset_ms, 9998);
}

Test(clock, events_raise_the_offset_but_late_ones_do_not_lower_it)
{
	struct session_clock c;
	session_clock_init(&c);
	session_clock_server(&c, 0, 20, 10010); /* offset 10000 */
	session_clock_event(&c, 100, 10150);    /* stamped 50 ms after our estimate */
	cr_assert_eq(c.offset_ms, 10050);
	session_clock_event(&c, 200, 9000);     /* a late event says nothing */
	cr_assert_eq(c.offset_ms, 10050);
	/* a better server sample below the events' floor does not undercut it */
	session_clock_server(&c, 300, 302, 10301);
	cr_assert_eq(c.offset_ms, 10050);
}

Test(clock, time_never_goes_back)
{
	struct session_clock c;
	session_clock_init(&c);
	session_clock_server(&c, 1000, 1010, 5005); /* offset 4000, rtt 10 */
	cr_assert_eq(session_clock_now(&c, 2000), 6000);
	session_clock_server(&c, 2000, 2002, 5001); /* offset 3000, rtt 2: wins */
	cr_assert_eq(c.offset_ms, 3000);
	cr_assert_eq(session_clock_now(&c, 2010), 6000, "must not go back");
	cr_assert_eq(session_clock_now(&c, 3500), 6500);
}
