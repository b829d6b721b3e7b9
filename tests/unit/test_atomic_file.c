/*
 * test_atomic_file.c - unit tests for kiosk/atomic_file.c: atomic writes
 * leave the whole file (exact mode) and no .tmp, replace a crash's leftover
 * .tmp, refuse bad names; bounded reads refuse big files; mkdir -p.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "kiosk/atomic_file.h"
#include "tests/unit/testdir.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/nser-atomic-XXXXXX");
    return testdir_make(dir);
}

static int teardown(void **state)
{
    (void)state;
    return testdir_remove(dir);
}

static int exists(const char *name)
{
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static void test_write_and_read_back(void **state)
{
    char err[256], path[256];
    uint8_t *buf;
    size_t len;
    struct stat st;

    (void)state;
    assert_int_equal(atomic_write(dir, "a.txt", "hello", 5, 0640, err, sizeof err), 0);
    assert_false(exists(".a.txt.tmp"));
    snprintf(path, sizeof path, "%s/a.txt", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(read_whole_file(path, 100, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(buf[5], 0);
    free(buf);

    /* Replacing: the new content, whole. */
    assert_int_equal(atomic_write(dir, "a.txt", "hi", 2, 0600, err, sizeof err), 0);
    assert_int_equal(read_whole_file(path, 100, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 2);
    assert_memory_equal(buf, "hi", 2);
    free(buf);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Empty file. */
    assert_int_equal(atomic_write(dir, "empty", NULL, 0, 0644, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/empty", dir);
    assert_int_equal(read_whole_file(path, 100, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 0);
    free(buf);
}

static void test_leftover_tmp_replaced(void **state)
{
    char err[256], path[256];
    uint8_t *buf;
    size_t len;

    (void)state;
    snprintf(path, sizeof path, "%s/.b.txt.tmp", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("half a file from before the crash, longer than the new one", f);
    fclose(f);
    assert_int_equal(atomic_write(dir, "b.txt", "new", 3, 0644, err, sizeof err), 0);
    assert_false(exists(".b.txt.tmp"));
    snprintf(path, sizeof path, "%s/b.txt", dir);
    assert_int_equal(read_whole_file(path, 100, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(buf, "new", 3);
    free(buf);
}

static void test_bad_names_and_folders(void **state)
{
    char err[256];

    (void)state;
    assert_int_equal(atomic_write(dir, "a/b", "x", 1, 0644, err, sizeof err), -1);
    assert_int_equal(atomic_write(dir, "..", "x", 1, 0644, err, sizeof err), -1);
    assert_int_equal(atomic_write(dir, "", "x", 1, 0644, err, sizeof err), -1);
    err[0] = 0;
    assert_int_equal(atomic_write("/nonexistent-nser/x", "f", "x", 1, 0644, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create"));
}

static void test_read_limits(void **state)
{
    char err[256], path[256];
    uint8_t *buf = (uint8_t *)"sentinel";
    size_t len = 99;

    (void)state;
    assert_int_equal(atomic_write(dir, "big", "0123456789", 10, 0644, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/big", dir);
    assert_int_equal(read_whole_file(path, 9, &buf, &len, err, sizeof err), -1);
    assert_null(buf);
    assert_non_null(strstr(err, "larger than 9"));
    assert_int_equal(read_whole_file(path, 10, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 10);
    free(buf);
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(read_whole_file(path, 10, &buf, &len, err, sizeof err), -1);
    /* A folder is not a file. */
    assert_int_equal(read_whole_file(dir, 10, &buf, &len, err, sizeof err), -1);
}

static void test_make_dirs(void **state)
{
    char path[256], sub[256];
    struct stat st;

    (void)state;
    snprintf(path, sizeof path, "%s/x/y/z/", dir);
    assert_int_equal(make_dirs(path, 0700), 0);
    assert_int_equal(make_dirs(path, 0700), 0); /* already there */
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* A file in the way. */
    char err[128];
    assert_int_equal(atomic_write(dir, "file", "x", 1, 0644, err, sizeof err), 0);
    snprintf(sub, sizeof sub, "%s/file/below", dir);
    assert_int_equal(make_dirs(sub, 0700), -1);
    assert_int_equal(errno, ENOTDIR);
    rmdir(path);
    snprintf(path, sizeof path, "%s/x/y", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/x", dir);
    rmdir(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_read_back),
        cmocka_unit_test(test_leftover_tmp_replaced),
        cmocka_unit_test(test_bad_names_and_folders),
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_make_dirs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
