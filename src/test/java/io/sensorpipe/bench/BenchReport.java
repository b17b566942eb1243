package io.sensorpipe.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/** The benchmark's figures: each measured series with its runs, written as Markdown and a PNG chart. */
final class BenchReport {

    /** One measured quantity over the runs. */
    record Series(String name, String unit, List<Double> runs) {

        double median() {
            List<Double> sorted = new ArrayList<>(runs);
            sorted.sort(null);
            int n = sorted.size();
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        /** (max - min) / median: how far apart the runs were. */
        double spread() {
            double min = runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            return (max - min) / median();
        }
    }

    private final Map<String, Series> series = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    void add(String name, String unit, double value) {
        series.computeIfAbsent(name, n -> new Series(n, unit, new ArrayList<>())).runs().add(value);
    }

    Series get(String name) {
        return series.get(name);
    }

    void note(String line) {
        notes.add(line);
    }

    String markdown() {
        int runs = series.values().stream().mapToInt(s -> s.runs().size()).max().orElse(0);
        StringBuilder md = new StringBuilder("| Measurement | Unit |");
        for (int i = 1; i <= runs; i++) {
            md.append(" Run ").append(i).append(" |");
        }
        md.append(" **Median** | Spread |\n|---|---|");
        md.append("---:|".repeat(runs)).append("---:|---:|\n");
        for (Series s : series.values()) {
            md.append("| ").append(s.name()).append(" | ").append(s.unit()).append(" |");
            for (int i = 0; i < runs; i++) {
                md.append(' ').append(i < s.runs().size() ? format(s.runs().get(i)) : "").append(" |");
            }
            md.append(" **").append(format(s.median())).append("** | ")
                    .append(s.runs().size() > 1 ? String.format(Locale.ROOT, "%.0f %%", 100 * s.spread()) : "")
                    .append(" |\n");
        }
        md.append('\n');
        for (String note : notes) {
            md.append("- ").append(note).append('\n');
        }
        return md.toString();
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    void write(Path dir, String rowsTitle, List<Bar> rowsPerSecond, List<Bar> filesPerSecond) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown());
        BufferedImage image = new BufferedImage(1000, 460, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        panel(g, 20, rowsTitle, rowsPerSecond);
        panel(g, 520, "100-row files: files/s (bar = median, dots = runs)", filesPerSecond);
        g.dispose();
        ImageIO.write(image, "png", dir.resolve("results.png").toFile());
    }

    /** A bar of the chart: a series, and optionally a dashed target line across it. */
    record Bar(String label, Series series, double target, String targetLabel) {
    }

    private static void panel(Graphics2D g, int x0, String title, List<Bar> bars) {
        int top = 60;
        int bottom = 390;
        int width = 460;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0, 30);
        double max = 0;
        for (Bar bar : bars) {
            max = Math.max(max, Math.max(bar.target(), bar.series().runs().stream().mapToDouble(Double::doubleValue)
                    .max().orElse(0)));
        }
        max = max <= 0 ? 1 : max * 1.15;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(x0 + 50, bottom, x0 + width, bottom);
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x0 + 51, y, x0 + width, y);
            g.setColor(Color.GRAY);
            g.drawString(format(max * i / 4), x0, y + 4);
        }
        int slot = (width - 60) / Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int x = x0 + 60 + i * slot + slot / 6;
            int w = slot * 2 / 3;
            int h = (int) ((bottom - top) * bar.series().median() / max);
            g.setColor(bar.label().equals("reference") ? new Color(120, 144, 156) : new Color(230, 126, 34));
            g.fillRect(x, bottom - h, w, h);
            g.setColor(Color.BLACK);
            for (double run : bar.series().runs()) {
                int y = bottom - (int) ((bottom - top) * run / max);
                g.fillOval(x + w / 2 - 4, y - 4, 8, 8);
            }
            g.drawString(format(bar.series().median()), x + 4, bottom - h - 8);
            g.drawString(bar.label(), x, bottom + 18);
            if (bar.target() > 0) {
                int y = bottom - (int) ((bottom - top) * bar.target() / max);
                g.setColor(new Color(192, 57, 43));
                g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
                g.drawLine(x - 6, y, x + w + 6, y);
                g.setStroke(new BasicStroke(1));
                g.drawString(bar.targetLabel(), x, y - 4);
            }
        }
    }
}
