package org.ipam.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Draws {@code target/throughput/results.csv} as {@code docs/performance-throughput.png}: claims
 * served per second against N (log scale), one series per dialect (per dialect and label, and
 * concurrency when runs differ in it), every run a dot and a line through the median at each N; the
 * raw write limit measured in the same runs (median at each N) as a dashed line, and 70 % of it
 * (issue 12's target) dotted. Profiled runs ({@code --jfr}) and incomplete ones are left out.
 *
 * <p>{@code hack/throughput.sh plot [RESULTS.csv [OUT.png]]}.
 */
public final class ThroughputPlot {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 640;
  private static final int LEFT = 90;
  private static final int RIGHT = 330;
  private static final int TOP = 70;
  private static final int BOTTOM = 70;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf)
  };

  private ThroughputPlot() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path csv =
        args.length > 0
            ? Path.of(args[0])
            : ThroughputHarness.outputDirectory().resolve("results.csv");
    Path png =
        args.length > 1
            ? Path.of(args[1])
            : E2eSettings.repositoryRoot().resolve("docs/performance-throughput.png");
    List<ThroughputResult> rows =
        ThroughputResult.read(csv).stream()
            .filter(r -> !r.profiled())
            .filter(r -> r.served() == r.n() && Double.isFinite(r.claimsPerSecond()))
            .toList();
    if (rows.isEmpty()) {
      System.err.println("no complete, unprofiled runs in " + csv);
      System.exit(1);
    }
    draw(rows, png);
    System.out.println("throughput: wrote " + png + " from " + rows.size() + " runs in " + csv);
    System.exit(0);
  }

  static void draw(List<ThroughputResult> rows, Path png) throws IOException {
    boolean oneConcurrency =
        rows.stream().map(ThroughputResult::concurrency).distinct().count() == 1;
    Map<String, List<ThroughputResult>> series = new LinkedHashMap<>();
    rows.stream()
        .sorted((a, b) -> a.dialect().compareTo(b.dialect()))
        .forEach(
            r ->
                series
                    .computeIfAbsent(
                        r.dialect()
                            + (r.label().isBlank() ? "" : " " + r.label())
                            + (r.webhooks() ? " (webhooks)" : "")
                            + (oneConcurrency ? "" : ", " + r.concurrency() + " workers"),
                        k -> new ArrayList<>())
                    .add(r));
    TreeMap<Integer, Double> raw = medianBy(rows, ThroughputResult::rawLimitPerSecond);

    int minN = rows.stream().mapToInt(ThroughputResult::n).min().orElse(100);
    int maxN = rows.stream().mapToInt(ThroughputResult::n).max().orElse(10000);
    double xMin = Math.log10(minN) - 0.4;
    double xMax = Math.max(Math.log10(maxN) + 0.4, xMin + 1);
    double yTop =
        Math.max(
            rows.stream().mapToDouble(ThroughputResult::claimsPerSecond).max().orElse(1),
            raw.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
    double yStep = niceStep(yTop * 1.1 / 6);
    double yMax = Math.ceil(yTop * 1.1 / yStep) * yStep;

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Plot plot = new Plot(xMin, xMax, yMax);

    // Grid and axes.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    for (double y = 0; y <= yMax + 1e-9; y += yStep) {
      int py = plot.y(y);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(LEFT, py, WIDTH - RIGHT, py);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%,.0f", y);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    for (int decade = (int) Math.floor(xMin); decade <= (int) Math.ceil(xMax); decade++) {
      for (int m = 1; m <= 9; m++) {
        double x = decade + Math.log10(m);
        if (x < xMin - 1e-9 || x > xMax + 1e-9) {
          continue;
        }
        int px = plot.x(x);
        g.setColor(m == 1 ? new Color(0xd0d0d0) : new Color(0xf0f0f0));
        g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + (m == 1 ? 6 : 3));
        if (m == 1) {
          String label = String.format(Locale.ROOT, "%,d", (long) Math.pow(10, decade));
          g.drawString(label, px - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 8 + fm.getAscent());
        }
      }
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    String xTitle = "N, claims created at once (log scale)";
    g.drawString(xTitle, LEFT + (WIDTH - LEFT - RIGHT - fm.stringWidth(xTitle)) / 2, HEIGHT - 18);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    String yTitle = "claims served per second";
    rotated.drawString(yTitle, -(TOP + (HEIGHT - TOP - BOTTOM + fm.stringWidth(yTitle)) / 2), 24);
    rotated.dispose();

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(
        "Claims served per second against N, and the API server's raw write limit", LEFT, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int workers = rows.get(0).concurrency();
    g.drawString(
        "hack/throughput.sh: a fresh local kube-apiserver per run, the packaged controller as a"
            + " process"
            + (oneConcurrency ? ", " + workers + " client workers" : "")
            + "; dots: runs, lines: medians",
        LEFT,
        48);

    // The raw limit, and 70 % of it.
    Stroke dashed =
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8, 6}, 0);
    Stroke dotted =
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {2, 5}, 0);
    g.setColor(new Color(0x555555));
    g.setStroke(dashed);
    g.draw(plot.line(raw, 1.0));
    g.setStroke(new BasicStroke(2f));
    for (Map.Entry<Integer, Double> e : raw.entrySet()) {
      cross(g, plot.x(Math.log10(e.getKey())), plot.y(e.getValue()));
    }
    g.setColor(new Color(0x999999));
    g.setStroke(dotted);
    g.draw(plot.line(raw, 0.7));

    // The dialects.
    int colour = 0;
    List<String[]> legend = new ArrayList<>();
    for (Map.Entry<String, List<ThroughputResult>> s : series.entrySet()) {
      Color c = PALETTE[colour++ % PALETTE.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2.5f));
      TreeMap<Integer, Double> medians = medianBy(s.getValue(), ThroughputResult::claimsPerSecond);
      g.draw(plot.line(medians, 1.0));
      for (ThroughputResult r : s.getValue()) {
        int px = plot.x(Math.log10(r.n()));
        int py = plot.y(r.claimsPerSecond());
        g.fillOval(px - 4, py - 4, 9, 9);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (Map.Entry<Integer, Double> m : medians.entrySet()) {
        double fraction = m.getValue() / raw.getOrDefault(m.getKey(), Double.NaN);
        String label = String.format(Locale.ROOT, "%.0f/s (%.0f %%)", m.getValue(), 100 * fraction);
        g.drawString(label, plot.x(Math.log10(m.getKey())) + 7, plot.y(m.getValue()) - 6);
      }
      legend.add(new String[] {s.getKey(), Integer.toString(c.getRGB())});
    }

    // Legend.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int lx = WIDTH - RIGHT + 20;
    int ly = TOP + 10;
    for (String[] entry : legend) {
      g.setColor(new Color(Integer.parseInt(entry[1])));
      g.setStroke(new BasicStroke(2.5f));
      g.drawLine(lx, ly, lx + 30, ly);
      g.fillOval(lx + 11, ly - 4, 9, 9);
      g.setColor(Color.BLACK);
      g.drawString(entry[0] + ": claims/s", lx + 40, ly + 5);
      ly += 24;
    }
    g.setColor(new Color(0x555555));
    g.setStroke(dashed);
    g.drawLine(lx, ly, lx + 30, ly);
    g.setColor(Color.BLACK);
    g.drawString("raw write limit: N / seconds for", lx + 40, ly + 5);
    g.drawString("N creates + N status updates", lx + 40, ly + 21);
    ly += 44;
    g.setColor(new Color(0x999999));
    g.setStroke(dotted);
    g.drawLine(lx, ly, lx + 30, ly);
    g.setColor(Color.BLACK);
    g.drawString("70 % of the raw limit", lx + 40, ly + 5);
    g.drawString("(issue 12's target)", lx + 40, ly + 21);
    ly += 44;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(Color.DARK_GRAY);
    g.drawString("labels: median claims/s (its fraction", lx, ly + 5);
    g.drawString("of the median raw limit at that N)", lx, ly + 19);
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private static void cross(Graphics2D g, int x, int y) {
    g.drawLine(x - 5, y - 5, x + 5, y + 5);
    g.drawLine(x - 5, y + 5, x + 5, y - 5);
  }

  private static TreeMap<Integer, Double> medianBy(
      List<ThroughputResult> rows, java.util.function.ToDoubleFunction<ThroughputResult> value) {
    Map<Integer, List<Double>> byN =
        rows.stream()
            .filter(r -> Double.isFinite(value.applyAsDouble(r)))
            .collect(
                Collectors.groupingBy(
                    ThroughputResult::n,
                    Collectors.mapping(value::applyAsDouble, Collectors.toList())));
    TreeMap<Integer, Double> medians = new TreeMap<>();
    byN.forEach(
        (n, values) -> {
          List<Double> sorted = values.stream().sorted().toList();
          int size = sorted.size();
          medians.put(
              n,
              size % 2 == 1
                  ? sorted.get(size / 2)
                  : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2);
        });
    return medians;
  }

  private static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= rough) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /** Data to pixel coordinates. */
  private record Plot(double xMin, double xMax, double yMax) {
    int x(double log10) {
      return LEFT + (int) Math.round((log10 - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT));
    }

    int y(double value) {
      return HEIGHT - BOTTOM - (int) Math.round(value / yMax * (HEIGHT - TOP - BOTTOM));
    }

    Path2D line(TreeMap<Integer, Double> points, double factor) {
      Path2D path = new Path2D.Double();
      boolean first = true;
      for (Map.Entry<Integer, Double> e : points.entrySet()) {
        double px = x(Math.log10(e.getKey()));
        double py = y(e.getValue() * factor);
        if (first) {
          path.moveTo(px, py);
          first = false;
        } else {
          path.lineTo(px, py);
        }
      }
      return path;
    }
  }
}
