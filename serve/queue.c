/*
 * queue.c - what waits to be written to one WebSocket connection. Each
 * message keeps LWS_PRE bytes in front of its text, the room libwebsockets
 * needs to put the frame header in place without a copy.
 */
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"

int serve_queue_push(struct queue *q, const char *s, size_t n, bool data)
{
	struct msg *m = malloc(sizeof *m + LWS_PRE + n);
	if (!m)
		return -1;
	m->next = NULL;
	m->len = n;
	m->data = data;
	memcpy(m->buf + LWS_PRE, s, n);
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->bytes += n;
	return 0;
}

struct msg *serve_queue_pop(struct queue *q)
{
	struct msg *m = q->head;
	if (!m)
		return NULL;
	q->head = m->next;
	if (!q->head)
		q->tail = NULL;
	q->bytes -= m->len;
	return m;
}

unsigned char *serve_msg_text(struct msg *m)
{
	return m->buf + LWS_PRE;
}

void serve_queue_clear(struct queue *q)
{
	struct msg *m;
	while ((m = serve_queue_pop(q)))
		free(m);
}
