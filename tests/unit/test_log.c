/*
 * test_log.c - kiosk/log.c from several threads at once: every line arrives
 * whole (one write each, never interleaved), none is lost, an over-long
 * line is cut and still ends the line, and nothing is written with no log
 * open. Must not measure time.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/log.h"
#include "testdir.h"

#define THREADS 4
#define LINES   500

static void *writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    char pad[200];
    memset(pad, 'a' + id, sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 0; i < LINES; i++)
        log_msg(LOG_INFO, "t%d n%d %s end", id, i, pad);
    return NULL;
}

static void test_threads_write_whole_lines(void **state)
{
    (void)state;
    char dir[] = "/tmp/logt.XXXXXX";
    assert_int_equal(testdir_make(dir), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/log", dir);
    log_msg(LOG_INFO, "before open: nowhere");
    assert_int_equal(log_open(path), 0);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    char big[5000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    log_msg(LOG_WARN, "%s", big);
    log_close();
    log_msg(LOG_INFO, "after close: nowhere");

    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[8192];
    int seen[THREADS] = {0}, cut = 0, total = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        assert_true(len > 0 && line[len - 1] == '\n');
        total++;
        assert_null(strstr(line, "nowhere"));
        int id, n;
        char pad[256], end[8];
        if (sscanf(line, "%*s INFO t%d n%d %255s %7s", &id, &n, pad, end) == 4) {
            assert_true(id >= 0 && id < THREADS);
            assert_int_equal(n, seen[id]); /* in order per thread, none lost */
            seen[id]++;
            assert_int_equal(strlen(pad), 199);
            for (size_t k = 0; k < 199; k++)
                assert_int_equal(pad[k], 'a' + id); /* not mixed with another line */
            assert_string_equal(end, "end");
        } else {
            assert_non_null(strstr(line, " WARN zzz"));
            assert_true(len < sizeof big);
            assert_non_null(strstr(line, "...\n"));
            cut++;
        }
    }
    fclose(f);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(seen[i], LINES);
    assert_int_equal(cut, 1);
    assert_int_equal(total, THREADS * LINES + 1);
    testdir_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_write_whole_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
