/*
 * answers.c - a household's answers in memory.
 *
 * A household holds a few hundred answers at most, so each set is a plain
 * array searched linearly: simpler than a hash and fast enough at that
 * size. Values are personal data: every string is wiped before it is freed.
 * Never does I/O.
 */
#include "answers.h"

#include <stdlib.h>
#include <string.h>

struct answer {
    char id[ANSWER_ID_MAX];
    char *value;
};

struct answer_set {
    struct answer *items;
    size_t n, cap;
};

struct answers {
    struct answer_set household;
    struct answer_set *members;
    size_t n_members, cap_members;
};

static void wipe_string(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void set_clear(struct answer_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        wipe_string(s->items[i].value);
    free(s->items);
    memset(s, 0, sizeof *s);
}

struct answers *answers_new(void)
{
    return calloc(1, sizeof(struct answers));
}

void answers_clear(struct answers *a)
{
    set_clear(&a->household);
    for (size_t i = 0; i < a->n_members; i++)
        set_clear(&a->members[i]);
    a->n_members = 0;
}

void answers_free(struct answers *a)
{
    if (!a)
        return;
    answers_clear(a);
    free(a->members);
    free(a);
}

size_t answers_member_count(const struct answers *a)
{
    return a->n_members;
}

int answers_add_member(struct answers *a)
{
    if (a->n_members == a->cap_members) {
        size_t cap = a->cap_members ? a->cap_members * 2 : 8;
        struct answer_set *m = realloc(a->members, cap * sizeof *m);
        if (!m)
            return -1;
        a->members = m;
        a->cap_members = cap;
    }
    memset(&a->members[a->n_members], 0, sizeof a->members[0]);
    return (int)a->n_members++;
}

int answers_remove_member(struct answers *a, size_t i)
{
    if (i >= a->n_members)
        return -1;
    set_clear(&a->members[i]);
    memmove(&a->members[i], &a->members[i + 1], (a->n_members - i - 1) * sizeof a->members[0]);
    a->n_members--;
    return 0;
}

static struct answer_set *set_of(const struct answers *a, int member)
{
    if (member == ANSWERS_HOUSEHOLD)
        return (struct answer_set *)&a->household;
    if (member < 0 || (size_t)member >= a->n_members)
        return NULL;
    return &a->members[member];
}

bool answers_valid_id(const char *qid)
{
    if (!qid || !(qid[0] >= 'a' && qid[0] <= 'z'))
        return false;
    size_t n = 0;
    for (const char *p = qid; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return n < ANSWER_ID_MAX;
}

static struct answer *find(const struct answer_set *s, const char *qid)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].id, qid) == 0)
            return &s->items[i];
    return NULL;
}

int answers_set(struct answers *a, int member, const char *qid, const char *value)
{
    struct answer_set *s = set_of(a, member);
    if (!s || !answers_valid_id(qid))
        return -1;
    struct answer *old = find(s, qid);
    if (!value || !*value) {
        if (old) {
            wipe_string(old->value);
            size_t i = (size_t)(old - s->items);
            memmove(old, old + 1, (s->n - i - 1) * sizeof *old);
            s->n--;
        }
        return 0;
    }
    size_t len = strlen(value);
    if (len >= ANSWER_VALUE_MAX)
        return -1;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, value, len + 1);
    if (old) {
        wipe_string(old->value);
        old->value = copy;
        return 0;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct answer *items = realloc(s->items, cap * sizeof *items);
        if (!items) {
            wipe_string(copy);
            return -1;
        }
        s->items = items;
        s->cap = cap;
    }
    struct answer *slot = &s->items[s->n++];
    memset(slot->id, 0, sizeof slot->id);
    memcpy(slot->id, qid, strlen(qid) + 1);
    slot->value = copy;
    return 0;
}

const char *answers_get(const struct answers *a, int member, const char *qid)
{
    const struct answer_set *s = set_of(a, member);
    if (!s || !qid)
        return NULL;
    const struct answer *x = find(s, qid);
    return x ? x->value : NULL;
}

size_t answers_count(const struct answers *a, int member)
{
    const struct answer_set *s = set_of(a, member);
    return s ? s->n : 0;
}

bool answers_at(const struct answers *a, int member, size_t i, const char **qid, const char **value)
{
    const struct answer_set *s = set_of(a, member);
    if (!s || i >= s->n)
        return false;
    if (qid)
        *qid = s->items[i].id;
    if (value)
        *value = s->items[i].value;
    return true;
}
