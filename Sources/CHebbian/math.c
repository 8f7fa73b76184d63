#include "hebbian/hb_math.h"
#include <math.h>

double hb_exp(double x) { return exp(x); }
double hb_log(double x) { return log(x); }
double hb_tanh(double x) { return tanh(x); }
double hb_sin(double x) { return sin(x); }
double hb_cos(double x) { return cos(x); }
double hb_pow(double x, double y) { return pow(x, y); }
double hb_lgamma(double x) { return lgamma(x); }
float hb_expf(float x) { return expf(x); }
float hb_logf(float x) { return logf(x); }
float hb_tanhf(float x) { return tanhf(x); }
float hb_powf(float x, float y) { return powf(x, y); }
