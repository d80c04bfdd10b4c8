package org.ipam.harvester.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;

/**
 * {@code selector.scope} in either of its two spellings, which mean the same: the list of {@code
 * {project, namespace, guestCluster}} tuples Harvester's code reads, and the single {@code
 * {project, namespace, cluster}} map the Harvester documentation writes ({@link ScopeJson}).
 *
 * <p>Kept as the user wrote it ({@link #form}), so that a client that reads and writes a pool back
 * does not change its manifest. A value that is neither spelling does not fail the whole object (an
 * informer would then never show the pool): it is kept as written, serves nothing, and {@link
 * #problem} says why, naming the field.
 */
@JsonSerialize(using = ScopeJson.Writer.class)
@JsonDeserialize(using = ScopeJson.Reader.class)
public final class Scope {
  /** How the scope was written. */
  public enum Form {
    LIST,
    MAP
  }

  private final List<ScopeTuple> tuples;
  private final Form form;
  private final String problem;
  private final JsonNode asWritten;

  private Scope(List<ScopeTuple> tuples, Form form, String problem, JsonNode asWritten) {
    this.tuples = List.copyOf(tuples);
    this.form = form;
    this.problem = problem;
    this.asWritten = asWritten;
  }

  /** The list form, as Harvester's code writes it. */
  public static Scope of(List<ScopeTuple> tuples) {
    return new Scope(tuples, Form.LIST, null, null);
  }

  /** The single-map form of the Harvester documentation. */
  public static Scope single(ScopeTuple tuple) {
    return new Scope(List.of(tuple), Form.MAP, null, null);
  }

  /**
   * A value that is neither form: serves nothing; {@code problem} names the field and the value.
   */
  static Scope invalid(String problem, JsonNode asWritten) {
    return new Scope(List.of(), Form.LIST, problem, asWritten);
  }

  /** The tuples, whichever the form; empty when {@link #problem} is set. */
  public List<ScopeTuple> tuples() {
    return tuples;
  }

  public Form form() {
    return form;
  }

  /**
   * Why the value is not a scope, naming the field ({@code spec.selector.scope[1].project ...}).
   */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** The value as written, for a scope with a problem (written back unchanged). */
  JsonNode asWritten() {
    return asWritten;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Scope that
        && tuples.equals(that.tuples)
        && java.util.Objects.equals(problem, that.problem);
  }

  @Override
  public int hashCode() {
    return tuples.hashCode();
  }

  @Override
  public String toString() {
    return problem == null ? tuples.toString() : "invalid scope: " + problem;
  }
}
