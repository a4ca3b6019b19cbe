/**
 * Pictures of a run: sample grids, training curves and a self-contained HTML report of a run
 * directory.
 *
 * <p>{@link dev.gantry.report.ImageGrid} lays out generated images the way the GAN paper
 * (Goodfellow et al., 2014, Figure 2) shows them, {@link dev.gantry.report.Plots} draws line
 * charts with XChart, and {@link dev.gantry.report.RunReport} reads {@code stats.jsonl},
 * {@code metrics.jsonl} and {@code samples/} of a run directory and writes {@code report.html}
 * beside them. Everything renders headless, and every file is written atomically so a report
 * viewed while training runs never shows a half-written image.
 *
 * <p>Internal: not part of Gantry's public API ({@code dev.gantry.api}, docs/library.md); it may change without notice.
 */
package dev.gantry.report;
