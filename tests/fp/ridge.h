/*
 * ridge.h - synthetic fingerprint-like ridge images for libfprint's
 * virtual_image reader, shared by tests/unit/test_fp_driver.c and
 * bench/bench_fp_verify.c (tests/fp/fpimage.py is the Python twin for the
 * screen tests).
 *
 * A plane wave bent by a few dozen spiral points (each a singularity that
 * gives NBIS minutiae), one seed per "finger": the same seed always gives
 * the same image, so it matches its own enrolment and not another seed's.
 * Pure: no I/O. Never a real person's print, never an image from elsewhere.
 */
#ifndef NSER_TESTS_FP_RIDGE_H
#define NSER_TESTS_FP_RIDGE_H

#include <stdint.h>

#define RIDGE_W 256
#define RIDGE_H 256

/* Fills PX (RIDGE_W * RIDGE_H bytes, 8-bit grey, row-major) for SEED. */
void ridge_image(uint32_t seed, uint8_t *px);

#endif
