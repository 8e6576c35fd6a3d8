/* test_afile.c — a file appears whole or not at all: the old content stays
 * until the commit, a failed or incomplete write keeps it, and an interrupt
 * leaves no temporary file. */
#include "ckx.h"
#include "afile.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64], path[96];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/test_afile_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
}

/* Fails if dir holds a temporary file (a hidden name). */
static void no_temporary_files(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));)
        ck_assert_msg(e->d_name[0] != '.' || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."),
                      "temporary file %s left in %s", e->d_name, dir);
    closedir(d);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static void put_file(const char *p, const void *bytes, size_t n)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static void expect_content(const char *p, const char *want)
{
    char got[256] = "";
    FILE *f = fopen(p, "rb");
    ck_assert_msg(f != NULL, "%s is missing", p);
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    ck_assert_str_eq(got, want);
}

START_TEST(commit_replaces_abort_keeps)
{
    put_file(path, "old", 3);
    AFile a;
    char err[256] = "";
    FILE *f = afile_open(&a, path, err, sizeof err);
    ck_assert_msg(f != NULL, "afile_open: %s", err);
    fputs("new", f);
    fflush(f);
    expect_content(path, "old");                  /* not visible before the commit */
    ck_assert_int_eq(afile_commit(&a, AFILE_ANY, err, sizeof err), 0);
    expect_content(path, "new");
    f = afile_open(&a, path, err, sizeof err);
    fputs("newer", f);
    afile_abort(&a);
    expect_content(path, "new");
    no_temporary_files();
}
END_TEST

START_TEST(failed_writes_keep_the_old_file)
{
    put_file(path, "old", 3);
    AFile a;
    char err[256] = "";
    /* a write past a file-size limit fails (EFBIG), as on a full disk */
    struct rlimit saved, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small.rlim_cur = 1000;
    small.rlim_max = saved.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    FILE *f = afile_open(&a, path, err, sizeof err);
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 1000; i++) fputs("0123456789\n", f);
    int rc = afile_commit(&a, AFILE_ANY, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, prev);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) && strstr(err, "disk full"), "message: '%s'", err);
    expect_content(path, "old");
    no_temporary_files();
    /* a folder that does not exist: the message names the file */
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no/such/out.txt", dir);
    ck_assert_ptr_null(afile_open(&a, missing, err, sizeof err));
    ck_assert_msg(strstr(err, missing), "message: '%s'", err);
    ck_assert_int_eq(afile_reserve(&a, missing, NULL, 0), -1);
}
END_TEST

/* Complete and cut-short PNG, PDF and SVG files, as gnuplot leaves them. */
START_TEST(verify_knows_complete_files)
{
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4,
        0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
    const char *pdf = "%PDF-1.5\nstuff\n%%EOF\n", *svg = "<svg>\n<g/>\n</svg>\n\n";
    char p[128], err[256];
    struct { const char *ext; const void *bytes; size_t n; AFileKind kind; } cases[] = {
        { "png", png, sizeof png, AFILE_PNG }, { "pdf", pdf, strlen(pdf), AFILE_PDF },
        { "svg", svg, strlen(svg), AFILE_SVG },
    };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/fig.%s", dir, cases[i].ext);
        ck_assert_int_eq(afile_kind_of(p), cases[i].kind);
        put_file(p, cases[i].bytes, cases[i].n);
        ck_assert_msg(afile_verify(p, cases[i].kind, err, sizeof err) == 0, "a complete %s: %s", cases[i].ext, err);
        put_file(p, cases[i].bytes, cases[i].n - 8);
        ck_assert_msg(afile_verify(p, cases[i].kind, err, sizeof err) == -1, "a truncated %s passed", cases[i].ext);
        ck_assert_msg(strstr(err, p), "the message should name the file: '%s'", err);
        put_file(p, "", 0);
        ck_assert_msg(afile_verify(p, cases[i].kind, err, sizeof err) == -1, "an empty %s passed", cases[i].ext);
    }
    ck_assert_int_eq(afile_kind_of("a/b.dat"), AFILE_ANY);
    ck_assert_int_eq(afile_kind_of("a.png/b"), AFILE_ANY);

    /* another program fills a reserved file: an incomplete PNG is refused, the old one kept */
    snprintf(p, sizeof p, "%s/fig.png", dir);
    put_file(p, png, sizeof png);
    AFile a;
    ck_assert_int_eq(afile_reserve(&a, p, err, sizeof err), 0);
    put_file(a.tmp, png, sizeof png - 12);
    ck_assert_int_eq(afile_commit(&a, AFILE_PNG, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "incomplete") && strstr(err, "IEND"), "message: '%s'", err);
    ck_assert_int_eq(afile_verify(p, AFILE_PNG, NULL, 0), 0);
    no_temporary_files();
}
END_TEST

/* Ctrl-C while a file is being written: the process dies of SIGINT as usual,
 * the temporary file is gone and the old file is intact. */
START_TEST(interrupt_removes_the_temporary_file)
{
    put_file(path, "old", 3);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);   /* like a chapter program (Check's runner has its own handler) */
        AFile a;
        FILE *f = afile_open(&a, path, NULL, 0);
        if (!f) _exit(3);
        fputs("half", f);
        fflush(f);
        raise(SIGINT);
        _exit(4);   /* not reached */
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "the child should die of SIGINT (status %d)", st);
    expect_content(path, "old");
    no_temporary_files();
}
END_TEST

Suite *make_afile_suite(void)
{
    Suite *s = suite_create("afile");
    TCase *tc = ckx_tcase(s, "afile", 10);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, commit_replaces_abort_keeps);
    tcase_add_test(tc, failed_writes_keep_the_old_file);
    tcase_add_test(tc, verify_knows_complete_files);
    tcase_add_test(tc, interrupt_removes_the_temporary_file);
    return s;
}
