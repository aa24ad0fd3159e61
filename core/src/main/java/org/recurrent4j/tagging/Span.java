package org.recurrent4j.tagging;

/** An entity: tokens {@code [start, end)} of one type. */
public record Span(String type, int start, int end) {
}
