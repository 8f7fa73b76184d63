/* Elementary functions for the Swift layer. Embedded Swift has no libm import, so the Swift
 * code reaches libm through these out-of-line wrappers; they are not used on hot paths. */
#ifndef HEBBIAN_HB_MATH_H
#define HEBBIAN_HB_MATH_H

#ifdef __cplusplus
extern "C" {
#endif

double hb_exp(double x);
double hb_log(double x);
double hb_tanh(double x);
double hb_sin(double x);
double hb_cos(double x);
double hb_pow(double x, double y);
/* log|Γ(x)|: the monitor's F and χ² control limits. */
double hb_lgamma(double x);
float hb_expf(float x);
float hb_logf(float x);
float hb_tanhf(float x);
float hb_powf(float x, float y);

#ifdef __cplusplus
}
#endif
#endif
