/*
 * Gantry's native kernels: the elementwise passes of the paper-mlp training step fused into single
 * loops over memory the JVM already holds (direct buffers and the engine's own tensors), and the
 * step's matrix products through the same BLAS the engine uses (MKL's sgemm_, exported by the
 * libtorch_cpu.so that DJL has loaded). Nothing here allocates; Java owns every buffer.
 *
 * Floating point: every elementwise expression is written as the engine evaluates it (the same
 * operations on float32 in the same order, no contraction into FMA: built with -ffp-contract=off),
 * so what changes against the engine's step is only where a sum is accumulated in another order
 * (the column sums of bias gradients, the logit layer's dot products) and where the momentum
 * update is folded into the weight-gradient product (beta = mu, alpha = -lr).
 *
 * Row-major throughout. Every pointer is a jlong address; every size is an int.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*sgemm_fn)(const char *ta, const char *tb, const int *m, const int *n, const int *k,
                         const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
                         const float *beta, float *c, const int *ldc);
typedef void (*saxpy_fn)(const int *n, const float *a, const float *x, const int *incx, float *y, const int *incy);

static sgemm_fn blas_sgemm;
static saxpy_fn blas_saxpy;
static char torch_path[4096];

static int find_torch(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    (void) data;
    const char *name = info->dlpi_name;
    if (name != NULL && strstr(name, "libtorch_cpu.so") != NULL) {
        strncpy(torch_path, name, sizeof(torch_path) - 1);
        return 1;
    }
    return 0;
}

#define F(p) ((float *) (intptr_t) (p))
#define B(p) ((uint8_t *) (intptr_t) (p))

/* Resolves sgemm_ and saxpy_ in the loaded libtorch_cpu.so; null on success, else why not. */
JNIEXPORT jstring JNICALL Java_dev_gantry_nn_Kernels_init0(JNIEnv *env, jclass cls) {
    (void) cls;
    char msg[4400];
    torch_path[0] = 0;
    dl_iterate_phdr(find_torch, NULL);
    if (torch_path[0] == 0) {
        return (*env)->NewStringUTF(env, "libtorch_cpu.so is not loaded in this process (start the engine first)");
    }
    void *h = dlopen(torch_path, RTLD_NOW | RTLD_NOLOAD);
    if (h == NULL) {
        snprintf(msg, sizeof msg, "dlopen %s: %s", torch_path, dlerror());
        return (*env)->NewStringUTF(env, msg);
    }
    blas_sgemm = (sgemm_fn) dlsym(h, "sgemm_");
    blas_saxpy = (saxpy_fn) dlsym(h, "saxpy_");
    if (blas_sgemm == NULL || blas_saxpy == NULL) {
        snprintf(msg, sizeof msg, "%s exports no sgemm_/saxpy_", torch_path);
        return (*env)->NewStringUTF(env, msg);
    }
    return NULL;
}

JNIEXPORT jlong JNICALL Java_dev_gantry_nn_Kernels_address(JNIEnv *env, jclass cls, jobject buffer) {
    (void) cls;
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buffer);
}

/*
 * Row-major C[m, n] = alpha * op(A) op(B) + beta * C, where op(A) is [m, k] (A stored [k, m] when
 * ta) and op(B) is [k, n] (B stored [n, k] when tb). A row-major matrix is the column-major
 * transpose, so this is the column-major C^T = op(B)^T op(A)^T.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_gemm(JNIEnv *env, jclass cls, jboolean ta, jboolean tb,
        jint m, jint n, jint k, jfloat alpha, jlong a, jint lda, jlong b, jint ldb, jfloat beta, jlong c, jint ldc) {
    (void) env;
    (void) cls;
    const char *opb = tb ? "T" : "N";
    const char *opa = ta ? "T" : "N";
    blas_sgemm(opb, opa, &n, &m, &k, &alpha, F(b), &ldb, F(a), &lda, &beta, F(c), &ldc);
}

/* y[0, n) += x[0, n). */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_addTo(JNIEnv *env, jclass cls, jlong y, jlong x, jint n) {
    (void) env;
    (void) cls;
    const float one = 1.0f;
    const int inc = 1;
    blas_saxpy(&n, &one, F(x), &inc, F(y), &inc);
}

/* The engine's inverted-dropout factor for a uniform draw: (u < keep) / keep, in float32. */
static inline float keep_factor(float u, float keep) {
    return (u < keep ? 1.0f : 0.0f) / keep;
}

/* dst[i] = src[i] * mask(u[i]) for i < n; u = 0 (null) means no dropout: a copy. */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_dropout(JNIEnv *env, jclass cls, jlong dst, jlong src, jlong u,
        jfloat keep, jint n) {
    (void) env;
    (void) cls;
    float *d = F(dst);
    const float *s = F(src);
    if (u == 0) {
        if (d != s) {
            memmove(d, s, (size_t) n * sizeof(float));
        }
        return;
    }
    const float *r = F(u);
    for (int i = 0; i < n; i++) {
        d[i] = s[i] * keep_factor(r[i], keep);
    }
}

/* c[r, j] = relu(c[r, j] + bias[j]) over [rows, cols], in place. */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_biasRelu(JNIEnv *env, jclass cls, jlong c, jlong bias, jint rows, jint cols) {
    (void) env;
    (void) cls;
    float *x = F(c);
    const float *b = F(bias);
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float v = row[j] + b[j];
            row[j] = v > 0.0f ? v : 0.0f;
        }
    }
}

/*
 * exp(x) in float32 without a libm call, so the loop around it vectorises: x = n ln 2 + r with
 * |r| <= ln 2 / 2 (ln 2 split in two constants), a degree-7 polynomial for exp(r) (Cephes' expf
 * coefficients, about 1 ulp), times 2^n from the exponent bits. x is clamped to [-87.3, 88.7], so the
 * result is a normal float; libm's expf and the engine's vectorised one agree with it to a few ulp.
 */
static inline float exp_poly(float x) {
    x = x > 88.7f ? 88.7f : x;
    x = x < -87.3f ? -87.3f : x;
    float fx = x * 1.44269504088896341f + 0.5f;
    int n = (int) fx;
    n = (float) n > fx ? n - 1 : n;                     /* floor, for either sign */
    float nf = (float) n;
    float r = x - nf * 0.693359375f;
    r = r - nf * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    union { uint32_t u; float f; } scale = { .u = (uint32_t) (n + 127) << 23 };
    return p * scale.f;
}

/* c[r, j] = sigmoid(c[r, j] + bias[j]) = 1 / (1 + exp(-(c + bias))) over [rows, cols], in place. */
__attribute__((target_clones("avx2", "default")))
static void bias_sigmoid(float *x, const float *b, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float v = row[j] + b[j];
            row[j] = 1.0f / (1.0f + exp_poly(-v));
        }
    }
}

JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_biasSigmoid(JNIEnv *env, jclass cls, jlong c, jlong bias, jint rows, jint cols) {
    (void) env;
    (void) cls;
    bias_sigmoid(F(c), F(bias), rows, cols);
}

/* splitmix64's output function (Steele, Lea and Flood 2014): a bijective 64-bit mix. */
static inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/*
 * n uniform draws in [0, 1), multiples of 2^-24, from a counter-based generator: the j-th 64-bit
 * word is splitmix64's output at state key + (j + 1) * golden ratio (its own sequence, seeded with
 * key), and gives two draws, its top 24 bits (element 2j) and bits 8..31 (element 2j + 1). The same
 * key gives the same draws whatever ran before; Java draws the key from the engine once a step.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_uniform(JNIEnv *env, jclass cls, jlong dst, jlong n, jlong key) {
    (void) env;
    (void) cls;
    float *d = F(dst);
    const uint64_t golden = 0x9E3779B97F4A7C15ULL;
    uint64_t state = (uint64_t) key;
    int64_t pairs = n / 2;
    for (int64_t j = 0; j < pairs; j++) {
        state += golden;
        uint64_t w = mix64(state);
        d[2 * j] = (float) (w >> 40) * 0x1p-24f;
        d[2 * j + 1] = (float) ((w & 0xFFFFFFFFULL) >> 8) * 0x1p-24f;
    }
    if (n % 2 != 0) {
        state += golden;
        d[n - 1] = (float) (mix64(state) >> 40) * 0x1p-24f;
    }
}

/* c[r, j] += bias[j] over [rows, cols], in place (a linear output layer). */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_biasAdd(JNIEnv *env, jclass cls, jlong c, jlong bias, jint rows, jint cols) {
    (void) env;
    (void) cls;
    float *x = F(c);
    const float *b = F(bias);
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            row[j] = row[j] + b[j];
        }
    }
}

/*
 * Maxout: z [rows, units * pieces] (before its bias) to out[r, j] = max_p (z[r, j P + p] + bias[j P + p]),
 * times the next layer's dropout factor from u [rows, units] (u = 0: none); idx[r, j] gets the
 * first piece that attains the maximum.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_maxout(JNIEnv *env, jclass cls, jlong z, jlong bias, jint rows, jint units,
        jint pieces, jlong out, jlong idx, jlong u, jfloat keep) {
    (void) env;
    (void) cls;
    const float *zz = F(z);
    const float *b = F(bias);
    float *o = F(out);
    uint8_t *w = B(idx);
    const float *r = u == 0 ? NULL : F(u);
    for (int row = 0; row < rows; row++) {
        const float *zr = zz + (size_t) row * units * pieces;
        for (int j = 0; j < units; j++) {
            const float *zj = zr + (size_t) j * pieces;
            const float *bj = b + (size_t) j * pieces;
            float best = zj[0] + bj[0];
            int arg = 0;
            for (int p = 1; p < pieces; p++) {
                float v = zj[p] + bj[p];
                if (v > best) {
                    best = v;
                    arg = p;
                }
            }
            size_t at = (size_t) row * units + j;
            w[at] = (uint8_t) arg;
            o[at] = r == NULL ? best : best * keep_factor(r[at], keep);
        }
    }
}

/* A one-output linear layer: out[r] = sum_j x[r, j] w[j] + b[0]. */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_dot(JNIEnv *env, jclass cls, jlong x, jlong weight, jlong bias, jint rows,
        jint cols, jlong out) {
    (void) env;
    (void) cls;
    const float *xx = F(x);
    const float *w = F(weight);
    float *o = F(out);
    float b = F(bias)[0];
    for (int r = 0; r < rows; r++) {
        const float *xr = xx + (size_t) r * cols;
        float s = 0.0f;
        for (int j = 0; j < cols; j++) {
            s += xr[j] * w[j];
        }
        o[r] = s + b;
    }
}

/*
 * Back through a one-output layer and the dropout before it: gin[r, j] = (g[r] * w[j]) * mask(u[r, j]).
 * When gw is not 0, also gw[j] = sum_r g[r] x[r, j] and gb[0] = sum_r g[r] (the layer's gradients).
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_dotBackward(JNIEnv *env, jclass cls, jlong g, jlong weight, jlong u,
        jfloat keep, jint rows, jint cols, jlong gin, jlong x, jlong gw, jlong gb) {
    (void) env;
    (void) cls;
    const float *gg = F(g);
    const float *w = F(weight);
    const float *r = u == 0 ? NULL : F(u);
    float *gi = F(gin);
    for (int row = 0; row < rows; row++) {
        float *out = gi + (size_t) row * cols;
        for (int j = 0; j < cols; j++) {
            float v = gg[row] * w[j];
            out[j] = r == NULL ? v : v * keep_factor(r[(size_t) row * cols + j], keep);
        }
    }
    if (gw != 0) {
        const float *xx = F(x);
        float *gwp = F(gw);
        float sb = 0.0f;
        for (int j = 0; j < cols; j++) {
            gwp[j] = 0.0f;
        }
        for (int row = 0; row < rows; row++) {
            const float *xr = xx + (size_t) row * cols;
            for (int j = 0; j < cols; j++) {
                gwp[j] += gg[row] * xr[j];
            }
            sb += gg[row];
        }
        F(gb)[0] = sb;
    }
}

/*
 * Back through a maxout's maximum: gz[r, j P + p] = gh[r, j] where p is the unit's winning piece,
 * 0 elsewhere; gb (when not 0) gets the column sums of gz, the bias gradient.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_maxoutBackward(JNIEnv *env, jclass cls, jlong gh, jlong idx, jint rows,
        jint units, jint pieces, jlong gz, jlong gb) {
    (void) env;
    (void) cls;
    const float *g = F(gh);
    const uint8_t *w = B(idx);
    float *out = F(gz);
    float *bias = gb == 0 ? NULL : F(gb);
    size_t width = (size_t) units * pieces;
    if (bias != NULL) {
        memset(bias, 0, width * sizeof(float));
    }
    for (int row = 0; row < rows; row++) {
        float *o = out + (size_t) row * width;
        memset(o, 0, width * sizeof(float));
        for (int j = 0; j < units; j++) {
            size_t at = (size_t) row * units + j;
            size_t col = (size_t) j * pieces + w[at];
            o[col] = g[at];
            if (bias != NULL) {
                bias[col] += g[at];
            }
        }
    }
}

/* g[i] = g[i] * mask(u[i]) in place (u = 0: nothing). */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_dropoutInPlace(JNIEnv *env, jclass cls, jlong g, jlong u, jfloat keep, jint n) {
    (void) env;
    (void) cls;
    if (u == 0) {
        return;
    }
    float *x = F(g);
    const float *r = F(u);
    for (int i = 0; i < n; i++) {
        x[i] = x[i] * keep_factor(r[i], keep);
    }
}

/* Back through a ReLU: g[r, j] = g[r, j] * (h[r, j] > 0); gb[j] = column sums of the result. */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_reluBackward(JNIEnv *env, jclass cls, jlong g, jlong h, jint rows, jint cols,
        jlong gb) {
    (void) env;
    (void) cls;
    float *x = F(g);
    const float *a = F(h);
    float *b = F(gb);
    memset(b, 0, (size_t) cols * sizeof(float));
    for (int r = 0; r < rows; r++) {
        float *xr = x + (size_t) r * cols;
        const float *ar = a + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float v = xr[j] * (ar[j] > 0.0f ? 1.0f : 0.0f);
            xr[j] = v;
            b[j] += v;
        }
    }
}

/*
 * Back through the input's dropout and a sigmoid output s: g[r, j] = (g[r, j] * mask(u)) * (s - s^2)
 * (u = 0: no dropout; sigmoid = 0: a linear output, no factor); gb[j] = column sums of the result.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_outputBackward(JNIEnv *env, jclass cls, jlong g, jlong u, jfloat keep,
        jlong s, jboolean sigmoid, jint rows, jint cols, jlong gb) {
    (void) env;
    (void) cls;
    float *x = F(g);
    const float *r = u == 0 ? NULL : F(u);
    const float *out = F(s);
    float *b = F(gb);
    memset(b, 0, (size_t) cols * sizeof(float));
    for (int row = 0; row < rows; row++) {
        size_t base = (size_t) row * cols;
        for (int j = 0; j < cols; j++) {
            float v = x[base + j];
            if (r != NULL) {
                v = v * keep_factor(r[base + j], keep);
            }
            if (sigmoid) {
                float sv = out[base + j];
                v = v * (sv - sv * sv);
            }
            x[base + j] = v;
            b[j] += v;
        }
    }
}

/* SGD with momentum on [n] values, as the engine does it: v = v * mu - g * lr; p = p + v. */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_sgd(JNIEnv *env, jclass cls, jlong p, jlong v, jlong g, jfloat mu, jfloat lr,
        jint n) {
    (void) env;
    (void) cls;
    float *pp = F(p);
    float *vv = F(v);
    const float *gg = F(g);
    for (int i = 0; i < n; i++) {
        vv[i] = vv[i] * mu - gg[i] * lr;
        pp[i] = pp[i] + vv[i];
    }
}

/* sum of x[i]^2 over [n], in double (for gradient norms: the order of the sum is not the engine's). */
JNIEXPORT jdouble JNICALL Java_dev_gantry_nn_Kernels_sumOfSquares(JNIEnv *env, jclass cls, jlong x, jint n) {
    (void) env;
    (void) cls;
    const float *xx = F(x);
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};           /* eight partial sums: no serial dependence */
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) {
            lane[l] += (double) xx[i + l] * xx[i + l];
        }
    }
    double s = 0;
    for (; i < n; i++) {
        s += (double) xx[i] * xx[i];
    }
    for (int l = 0; l < 8; l++) {
        s += lane[l];
    }
    return s;
}

/*
 * Batch normalisation in training mode, then ReLU, over c [rows, cols] (a dense layer's x W^T, before
 * its bias), as dev.gantry.nn.BatchNorm.trace does it: x = c + bias; the batch's mean and biased
 * variance per column; the running averages rm = rm (1 - mom) + mean mom and rv = rv (1 - mom) +
 * (var unbias) mom with unbias = rows / (rows - 1); std = sqrt(eps + var) into std [cols];
 * x^ = (x - mean) / std into xhat [rows, cols]; c = relu(x^ gamma + beta) in place.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_batchNormRelu(JNIEnv *env, jclass cls, jlong c, jlong bias, jlong gamma,
        jlong beta, jlong runMean, jlong runVar, jint rows, jint cols, jfloat mom, jfloat eps, jlong xhat, jlong std) {
    (void) env;
    (void) cls;
    float *x = F(c);
    const float *b = F(bias);
    const float *ga = F(gamma);
    const float *be = F(beta);
    float *rm = F(runMean);
    float *rv = F(runVar);
    float *xh = F(xhat);
    float *sd = F(std);
    float inv = 1.0f / (float) rows;
    for (int j = 0; j < cols; j++) {
        sd[j] = 0.0f;                                     /* the column sums, first */
    }
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            row[j] = row[j] + b[j];
            sd[j] += row[j];
        }
    }
    float *mean = xh;                                     /* row 0 of xhat holds the means until the last pass */
    for (int j = 0; j < cols; j++) {
        mean[j] = sd[j] * inv;
        sd[j] = 0.0f;
    }
    for (int r = 0; r < rows; r++) {
        const float *row = x + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float d = row[j] - mean[j];
            sd[j] += d * d;
        }
    }
    float unbias = rows > 1 ? (float) rows / (float) (rows - 1) : 1.0f;
    float keep = 1.0f - mom;
    for (int j = 0; j < cols; j++) {
        float var = sd[j] * inv;
        rm[j] = rm[j] * keep + mean[j] * mom;
        rv[j] = rv[j] * keep + (var * unbias) * mom;
        sd[j] = sqrtf(eps + var);
    }
    /* Rows 1.. first, so that row 0 (the means) is read before it is overwritten. */
    for (int r = rows - 1; r >= 0; r--) {
        float *row = x + (size_t) r * cols;
        float *hr = xh + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float h = (row[j] - mean[j]) / sd[j];
            hr[j] = h;
            float y = h * ga[j] + be[j];
            row[j] = y > 0.0f ? y : 0.0f;
        }
    }
}

/*
 * The backward pass of batchNormRelu: g [rows, cols] at the ReLU's output h becomes, in place, the
 * gradient at the dense layer's output x: g_y = g where h > 0; dgamma = sum_r g_y x^, dbeta = sum_r g_y;
 * with g^ = g_y gamma, dx = (g^ - mean_r(g^) - x^ mean_r(g^ x^)) / std; dbias = sum_r dx.
 */
JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_batchNormReluBackward(JNIEnv *env, jclass cls, jlong g, jlong h, jlong xhat,
        jlong std, jlong gamma, jint rows, jint cols, jlong gGamma, jlong gBeta, jlong gBias) {
    (void) env;
    (void) cls;
    float *gg = F(g);
    const float *hh = F(h);
    const float *xh = F(xhat);
    const float *sd = F(std);
    const float *ga = F(gamma);
    float *dg = F(gGamma);
    float *db = F(gBeta);
    float *dbias = F(gBias);
    for (int j = 0; j < cols; j++) {
        dg[j] = 0.0f;
        db[j] = 0.0f;
        dbias[j] = 0.0f;
    }
    for (int r = 0; r < rows; r++) {
        float *gr = gg + (size_t) r * cols;
        const float *hr = hh + (size_t) r * cols;
        const float *xr = xh + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float gy = hr[j] > 0.0f ? gr[j] : 0.0f;
            gr[j] = gy;
            dg[j] += gy * xr[j];
            db[j] += gy;
        }
    }
    float inv = 1.0f / (float) rows;
    for (int r = 0; r < rows; r++) {
        float *gr = gg + (size_t) r * cols;
        const float *xr = xh + (size_t) r * cols;
        for (int j = 0; j < cols; j++) {
            float m1 = (db[j] * ga[j]) * inv;             /* mean_r(g^) */
            float m2 = (dg[j] * ga[j]) * inv;             /* mean_r(g^ x^) */
            float dx = ((gr[j] * ga[j] - m1) - xr[j] * m2) / sd[j];
            gr[j] = dx;
            dbias[j] += dx;
        }
    }
}

/*
 * Adam on [n] values, as dev.gantry.optim.Adam does it on the engine (the same float operations in
 * the same order): v = v b2 + (g g) c2; m = m b1 + g c1; p = p - (m / (sqrt(v) / root2 + eps)) scale,
 * where c1 = 1 - b1, c2 = 1 - b2, root2 = sqrt(1 - b2^t) and scale = lr / (1 - b1^t).
 */
__attribute__((target_clones("avx2", "default")))
static void adam(float *restrict pp, float *restrict mm, float *restrict vv, const float *restrict gg, int n, float b1, float c1,
                 float b2, float c2, float root2, float eps, float scale) {
    for (int i = 0; i < n; i++) {
        float gi = gg[i];
        vv[i] = vv[i] * b2 + (gi * gi) * c2;
        mm[i] = mm[i] * b1 + gi * c1;
        float denom = sqrtf(vv[i]) / root2 + eps;
        pp[i] = pp[i] - (mm[i] / denom) * scale;
    }
}

JNIEXPORT void JNICALL Java_dev_gantry_nn_Kernels_adam(JNIEnv *env, jclass cls, jlong p, jlong m, jlong v, jlong g, jint n,
        jfloat b1, jfloat c1, jfloat b2, jfloat c2, jfloat root2, jfloat eps, jfloat scale) {
    (void) env;
    (void) cls;
    adam(F(p), F(m), F(v), F(g), n, b1, c1, b2, c2, root2, eps, scale);
}
