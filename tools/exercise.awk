# exercise.awk: the one mechanism that keeps exercises/ in step with solutions/.
#
# A solution file marks each body the student writes like this:
#
#     double dp_bellman_backup(...)          <- definition starts at column 0
#     {
#         // BEGIN SOLUTION
#         ... the reference code ...
#         // END SOLUTION
#         // STUB return 0.0;                  <- the stub's code, one line each
#     }
#
# mode=stub (default) prints the exercise file: the lines between the markers
# are replaced by a TODO line and the STUB lines lose their "// STUB " prefix.
# mode=list prints the name of each function that holds a solution region, one
# per line; the build checks that every such name has a test case of its own.
BEGIN { if (mode == "") mode = "stub"; inside = 0; fn = "" }
/^[A-Za-z_][A-Za-z0-9_ \t\*]*[ \t\*]([A-Za-z_][A-Za-z0-9_]*)\(/ {
    line = $0
    sub(/\(.*/, "", line)
    n = split(line, parts, /[ \t\*]+/)
    fn = parts[n]
}
/^[ \t]*\/\/ BEGIN SOLUTION[ \t]*$/ {
    if (inside) { printf "%s:%d: nested BEGIN SOLUTION\n", FILENAME, FNR > "/dev/stderr"; exit 2 }
    inside = 1
    indent = $0; sub(/\/\/.*/, "", indent)
    if (mode == "list") print fn
    else print indent "/* TODO: your code here (see the comment above the function). */"
    next
}
/^[ \t]*\/\/ END SOLUTION[ \t]*$/ {
    if (!inside) { printf "%s:%d: END SOLUTION without BEGIN\n", FILENAME, FNR > "/dev/stderr"; exit 2 }
    inside = 0; next
}
inside { next }
/^[ \t]*\/\/ STUB / {
    if (mode == "stub") { s = $0; sub(/\/\/ STUB /, "", s); print s }
    next
}
mode == "stub" { print }
END { if (inside) { printf "%s: BEGIN SOLUTION never closed\n", FILENAME > "/dev/stderr"; exit 2 } }
