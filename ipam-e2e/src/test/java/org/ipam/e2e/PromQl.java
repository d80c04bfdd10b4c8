package org.ipam.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parser for the PromQL our monitoring files use, so that a test can say an alert or a panel
 * parses and which metrics it reads (no Java PromQL parser is in the offline Maven mirror). It
 * follows Prometheus' grammar for what it covers: vector and range selectors with label matchers,
 * subqueries, offset, numbers and strings, unary and binary operators with their precedence, {@code
 * bool}, {@code on}/{@code ignoring} and {@code group_left}/{@code group_right}, aggregations with
 * {@code by}/{@code without}, and the functions below with their argument types (so {@code
 * rate(counter)} without a range is refused, as Prometheus refuses it). Anything else is refused
 * with the position and what was expected: a rule it cannot read is a rule to look at.
 */
final class PromQl {
  /** What an expression evaluates to. */
  enum Type {
    SCALAR,
    VECTOR,
    RANGE,
    STRING
  }

  /** A function's argument types (the last repeated when {@code variadic}) and result. */
  private record Signature(List<Type> args, int required, boolean variadic, Type result) {}

  private static final Map<String, Signature> FUNCTIONS = functions();

  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  /** Aggregations that take a parameter before the vector. */
  private static final Set<String> PARAMETERISED =
      Set.of("count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  /** Binary operators by precedence, lowest first; {@code ^} is right-associative. */
  private static final List<Set<String>> PRECEDENCE =
      List.of(
          Set.of("or"),
          Set.of("and", "unless"),
          Set.of("==", "!=", "<=", "<", ">=", ">"),
          Set.of("+", "-"),
          Set.of("*", "/", "%", "atan2"),
          Set.of("^"));

  private static final Set<String> COMPARISONS = PRECEDENCE.get(2);

  /** The metric names an expression reads. */
  static Set<String> metricNames(String expression) {
    PromQl parser = new PromQl(expression);
    parser.expression(0);
    parser.expect(Kind.END, "end of expression");
    return parser.metrics;
  }

  // ---------------------------------------------------------------- tokens

  private enum Kind {
    IDENT,
    NUMBER,
    DURATION,
    STRING,
    OP,
    PUNCT,
    END
  }

  private record Token(Kind kind, String text, int at) {}

  private final String source;
  private final List<Token> tokens;
  private final Set<String> metrics = new TreeSet<>();
  private int next;

  /**
   * Whether the primary expression just read is a bare vector selector (which may take a range).
   */
  private boolean selector;

  private PromQl(String source) {
    this.source = source;
    this.tokens = tokenize(source);
  }

  private List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_') {
        while (i < text.length() && (isWordChar(text.charAt(i)) || text.charAt(i) == ':')) {
          i++;
        }
        out.add(new Token(Kind.IDENT, text.substring(start, i), start));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length())) {
        i = number(text, i, out);
      } else if (c == '"' || c == '\'' || c == '`') {
        i++;
        while (i < text.length() && text.charAt(i) != c) {
          i += text.charAt(i) == '\\' && c != '`' ? 2 : 1;
        }
        if (i >= text.length()) {
          throw error(start, "unterminated string");
        }
        i++;
        out.add(new Token(Kind.STRING, text.substring(start, i), start));
      } else {
        String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
        if (List.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
          out.add(new Token(Kind.OP, two, start));
          i += 2;
        } else if ("+-*/%^<>=".indexOf(c) >= 0) {
          out.add(new Token(Kind.OP, String.valueOf(c), start));
          i++;
        } else if ("(){}[],:@".indexOf(c) >= 0) {
          out.add(new Token(Kind.PUNCT, String.valueOf(c), start));
          i++;
        } else {
          throw error(start, "unexpected character '" + c + "'");
        }
      }
    }
    out.add(new Token(Kind.END, "", text.length()));
    return out;
  }

  /** A number, or a duration when units follow the digits ({@code 5m}, {@code 1h30m}). */
  private int number(String text, int i, List<Token> out) {
    int start = i;
    while (i < text.length()
        && (Character.isLetterOrDigit(text.charAt(i)) || isNumberChar(text, i))) {
      i++;
    }
    String word = text.substring(start, i);
    if (word.matches("(\\d+(ms|s|m|h|d|w|y))+")) {
      out.add(new Token(Kind.DURATION, word, start));
    } else if (word.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+")) {
      out.add(new Token(Kind.NUMBER, word, start));
    } else {
      throw error(start, "not a number or duration: " + word);
    }
    return i;
  }

  private static boolean isNumberChar(String text, int i) {
    char c = text.charAt(i);
    boolean exponentSign =
        (c == '+' || c == '-') && i > 0 && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E');
    return c == '.' || exponentSign;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  // ---------------------------------------------------------------- expressions

  private Type expression(int level) {
    if (level == PRECEDENCE.size()) {
      return unary();
    }
    Type left = expression(level + 1);
    while (peek().kind() != Kind.STRING && PRECEDENCE.get(level).contains(peek().text())) {
      String operator = take().text();
      boolean bool = COMPARISONS.contains(operator) && accept("bool");
      vectorMatching();
      // ^ binds to the right: 2 ^ 3 ^ 2 is 2 ^ 9.
      Type right = operator.equals("^") ? expression(level) : expression(level + 1);
      left = binary(operator, bool, left, right);
    }
    return left;
  }

  private Type binary(String operator, boolean bool, Type left, Type right) {
    for (Type operand : List.of(left, right)) {
      if (operand == Type.RANGE || operand == Type.STRING) {
        throw error(peek().at(), "operator " + operator + " needs instant vectors or scalars");
      }
    }
    boolean vector = left == Type.VECTOR || right == Type.VECTOR;
    if (Set.of("and", "or", "unless").contains(operator) && !(left == right && vector)) {
      throw error(peek().at(), "set operator " + operator + " needs two instant vectors");
    }
    if (COMPARISONS.contains(operator) && !vector && !bool) {
      throw error(peek().at(), "comparisons between scalars need bool");
    }
    return vector ? Type.VECTOR : Type.SCALAR;
  }

  /** {@code on(...)} or {@code ignoring(...)}, then {@code group_left(...)}/{@code group_right}. */
  private void vectorMatching() {
    if (accept("on") || accept("ignoring")) {
      labelList();
      if (accept("group_left") || accept("group_right")) {
        if (peek().text().equals("(")) {
          labelList();
        }
      }
    }
  }

  private Type unary() {
    if (peek().kind() == Kind.OP && (peek().text().equals("-") || peek().text().equals("+"))) {
      take();
      Type operand = unary();
      if (operand != Type.SCALAR && operand != Type.VECTOR) {
        throw error(peek().at(), "unary minus needs an instant vector or a scalar");
      }
      return operand;
    }
    Type primary = primary();
    return postfix(primary, selector);
  }

  private Type primary() {
    selector = false;
    Token token = peek();
    if (token.kind() == Kind.NUMBER) {
      take();
      return Type.SCALAR;
    }
    if (token.kind() == Kind.STRING) {
      take();
      return Type.STRING;
    }
    if (token.text().equals("(")) {
      take();
      Type inner = expression(0);
      expect(")", "')'");
      selector = false;
      return inner;
    }
    if (token.text().equals("{")) {
      matchers(false);
      selector = true;
      return Type.VECTOR;
    }
    if (token.kind() != Kind.IDENT) {
      throw error(token.at(), "expected an expression, found '" + token.text() + "'");
    }
    String name = take().text();
    if (name.equalsIgnoreCase("inf") || name.equalsIgnoreCase("nan")) {
      return Type.SCALAR;
    }
    if (AGGREGATIONS.contains(name)) {
      Type aggregated = aggregation(name);
      selector = false;
      return aggregated;
    }
    if (peek().text().equals("(")) {
      Type called = call(name);
      selector = false;
      return called;
    }
    metrics.add(name);
    if (peek().text().equals("{")) {
      matchers(true);
    }
    selector = true;
    return Type.VECTOR;
  }

  private Type aggregation(String name) {
    boolean grouped = grouping();
    expect("(", "'(' after " + name);
    if (PARAMETERISED.contains(name)) {
      Type parameter = expression(0);
      Type wanted = name.equals("count_values") ? Type.STRING : Type.SCALAR;
      if (parameter != wanted) {
        throw error(peek().at(), name + " takes a " + wanted.name().toLowerCase() + " first");
      }
      expect(",", "',' after the parameter of " + name);
    }
    if (expression(0) != Type.VECTOR) {
      throw error(peek().at(), name + " aggregates an instant vector");
    }
    expect(")", "')' closing " + name);
    if (!grouped) {
      grouping();
    }
    return Type.VECTOR;
  }

  private boolean grouping() {
    if (accept("by") || accept("without")) {
      labelList();
      return true;
    }
    return false;
  }

  private Type call(String name) {
    Signature signature = FUNCTIONS.get(name);
    if (signature == null) {
      throw error(peek().at(), "unknown function " + name);
    }
    expect("(", "'('");
    List<Type> args = new ArrayList<>();
    if (!peek().text().equals(")")) {
      args.add(expression(0));
      while (accept(",")) {
        args.add(expression(0));
      }
    }
    expect(")", "')' closing " + name);
    boolean countFits =
        args.size() >= signature.required()
            && (signature.variadic() || args.size() <= signature.args().size());
    if (!countFits) {
      throw error(peek().at(), name + " takes " + signature.args() + ", got " + args);
    }
    for (int i = 0; i < args.size(); i++) {
      Type wanted = signature.args().get(Math.min(i, signature.args().size() - 1));
      if (args.get(i) != wanted) {
        throw error(
            peek().at(),
            name + " argument " + (i + 1) + " must be " + wanted + ", is " + args.get(i));
      }
    }
    return signature.result();
  }

  /** Range selectors, subqueries, offset and @ after a primary expression. */
  private Type postfix(Type type, boolean isSelector) {
    while (true) {
      if (peek().text().equals("[")) {
        take();
        expect(Kind.DURATION, "a duration");
        if (accept(":")) {
          if (peek().kind() == Kind.DURATION) {
            take();
          }
          if (type != Type.VECTOR) {
            throw error(peek().at(), "a subquery needs an instant vector");
          }
        } else if (!isSelector || type != Type.VECTOR) {
          throw error(peek().at(), "a range needs a vector selector");
        }
        expect("]", "']'");
        type = Type.RANGE;
      } else if (accept("offset")) {
        accept("-");
        expect(Kind.DURATION, "a duration after offset");
      } else if (accept("@")) {
        if (peek().kind() == Kind.NUMBER) {
          take();
        } else {
          String which = take().text();
          if (!which.equals("start") && !which.equals("end")) {
            throw error(peek().at(), "@ takes a timestamp, start() or end()");
          }
          expect("(", "'('");
          expect(")", "')'");
        }
      } else {
        return type;
      }
    }
  }

  /** {@code {label="value", ...}}; without a metric name, one matcher must not match empty. */
  private void matchers(boolean named) {
    expect("{", "'{'");
    boolean any = named;
    while (!peek().text().equals("}")) {
      String label = expect(Kind.IDENT, "a label name").text();
      Token op = take();
      if (!List.of("=", "!=", "=~", "!~").contains(op.text())) {
        throw error(op.at(), "expected a label matcher operator after " + label);
      }
      String quoted = expect(Kind.STRING, "a quoted label value").text();
      String value = quoted.substring(1, quoted.length() - 1);
      if (label.equals("__name__")) {
        metrics.add(value);
      }
      any |= !matchesEmpty(op.text(), value);
      if (!accept(",")) {
        break;
      }
    }
    expect("}", "'}'");
    if (!any) {
      throw error(peek().at(), "a selector needs a name or a matcher that does not match empty");
    }
  }

  private static boolean matchesEmpty(String op, String value) {
    return switch (op) {
      case "=" -> value.isEmpty();
      case "!=" -> !value.isEmpty();
      case "=~" -> "".matches(value);
      default -> !"".matches(value);
    };
  }

  private void labelList() {
    expect("(", "'(' before labels");
    while (!peek().text().equals(")")) {
      expect(Kind.IDENT, "a label name");
      if (!accept(",")) {
        break;
      }
    }
    expect(")", "')' after labels");
  }

  // ---------------------------------------------------------------- helpers

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private boolean accept(String text) {
    if (peek().text().equals(text) && peek().kind() != Kind.STRING) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String text, String what) {
    if (!accept(text)) {
      throw error(peek().at(), "expected " + what + ", found '" + peek().text() + "'");
    }
  }

  private Token expect(Kind kind, String what) {
    if (peek().kind() != kind) {
      throw error(peek().at(), "expected " + what + ", found '" + peek().text() + "'");
    }
    return take();
  }

  private IllegalArgumentException error(int at, String message) {
    return new IllegalArgumentException(
        message + " at " + at + " in: " + source.replaceAll("\\s+", " ").trim());
  }

  private static Map<String, Signature> functions() {
    Type s = Type.SCALAR;
    Type v = Type.VECTOR;
    Type r = Type.RANGE;
    Type str = Type.STRING;
    Map<String, Signature> f = new java.util.HashMap<>();
    for (String name :
        List.of(
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "changes",
            "resets",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "last_over_time",
            "present_over_time",
            "absent_over_time")) {
      f.put(name, new Signature(List.of(r), 1, false, v));
    }
    for (String name :
        List.of(
            "abs",
            "ceil",
            "floor",
            "exp",
            "ln",
            "log2",
            "log10",
            "sqrt",
            "sgn",
            "sort",
            "sort_desc",
            "timestamp",
            "absent",
            "histogram_count",
            "histogram_sum")) {
      f.put(name, new Signature(List.of(v), 1, false, v));
    }
    for (String name :
        List.of(
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "hour",
            "minute",
            "month",
            "year")) {
      f.put(name, new Signature(List.of(v), 0, false, v));
    }
    f.put("quantile_over_time", new Signature(List.of(s, r), 2, false, v));
    f.put("predict_linear", new Signature(List.of(r, s), 2, false, v));
    f.put("histogram_quantile", new Signature(List.of(s, v), 2, false, v));
    f.put("clamp", new Signature(List.of(v, s, s), 3, false, v));
    f.put("clamp_min", new Signature(List.of(v, s), 2, false, v));
    f.put("clamp_max", new Signature(List.of(v, s), 2, false, v));
    f.put("round", new Signature(List.of(v, s), 1, false, v));
    f.put("time", new Signature(List.of(), 0, false, s));
    f.put("scalar", new Signature(List.of(v), 1, false, s));
    f.put("vector", new Signature(List.of(s), 1, false, v));
    f.put("label_replace", new Signature(List.of(v, str, str, str, str), 5, false, v));
    f.put("label_join", new Signature(List.of(v, str, str, str), 4, true, v));
    return Map.copyOf(f);
  }
}
