/*
 * damm.c - the Damm check digit used by tracking IDs.
 *
 * Pure arithmetic on digit strings. It must never do I/O or allocate, and
 * the table below must never be edited: every receipt already printed
 * depends on it.
 */
#include "damm.h"

#include <stddef.h>

/*
 * The standard weakly totally anti-symmetric quasigroup of order 10. Its
 * zero diagonal is what makes "append the interim digit" produce a string
 * whose interim is 0; its anti-symmetry is what catches every adjacent
 * transposition, including one that swaps the check digit itself.
 */
static const unsigned char damm_table[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

/* Interim digit after DIGITS, or -1 when a non-digit is met. */
static int damm_interim(const char *digits)
{
    int interim = 0;

    if (digits == NULL)
        return -1;
    for (const char *p = digits; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        interim = damm_table[interim][*p - '0'];
    }
    return interim;
}

int damm_check_digit(const char *digits)
{
    return damm_interim(digits);
}

bool damm_valid(const char *digits)
{
    /* An empty string has interim 0 but carries no check digit at all. */
    if (digits == NULL || digits[0] == '\0')
        return false;
    return damm_interim(digits) == 0;
}
