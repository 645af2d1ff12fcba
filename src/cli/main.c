/* main.c - placeholder entry; the subcommand table lands with the scan command. */
#include <stdio.h>
int main(void)
{
    return 2;
}
