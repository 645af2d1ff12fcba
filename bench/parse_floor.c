/* parse_floor.c - the floor for evaluating a snapshot: read every line and parse
 * it with cJSON, then free it. Nothing is judged or written; kensa cannot be
 * faster than this, so the benchmark reports kensa's time as a ratio to it. */
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lines = 0, bad = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        cJSON *j = cJSON_ParseWithLength(line, (size_t)n);
        if (!j)
            bad++;
        cJSON_Delete(j);
        lines++;
    }
    free(line);
    fprintf(stderr, "parse_floor: %ld lines, %ld unparsable\n", lines, bad);
    return 0;
}
