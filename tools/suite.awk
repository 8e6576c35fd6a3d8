# suite.awk: what a chapter's test file (tests/test_CH.c) says about its
# tests, for the student tools' awk programs: call suite_read() on each of its
# lines. It assumes the course's layout: START_TEST(name) and END_TEST at the
# start of a line, and a suite function that adds tests in order with
#     tc = ckx_tcase(s, "case", seconds);   tcase_add_test(tc, name);
#
#   start[t]                 the line of START_TEST(t)
#   tname[i], tfrom[i], tto[i]  i = 1..nt: each test and the lines it spans
#   suite_t                  the test whose body is being read ("" outside)
#   added[c, k], nadded[c]   the tests added to test case c, in order
function suite_read(   s) {
    if ($0 ~ /^START_TEST\(/) {
        s = $0; sub(/^START_TEST\(/, "", s); sub(/\).*/, "", s)
        start[s] = FNR; suite_t = s
    } else if ($0 ~ /^END_TEST/ && suite_t != "") {
        nt++; tname[nt] = suite_t; tfrom[nt] = start[suite_t]; tto[nt] = FNR; suite_t = ""
    } else if (match($0, /(ckx_tcase\(s, |tcase_create\()"[^"]*"/)) {
        s = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", s); sub(/"$/, "", s); suite_case = s
    } else if (match($0, /tcase_add_test\([^,]*, *[A-Za-z0-9_]+\)/)) {
        s = substr($0, RSTART, RLENGTH); sub(/^[^,]*, */, "", s); sub(/\)$/, "", s)
        added[suite_case, ++nadded[suite_case]] = s
    }
}
