package dev.pelagos.lisp;

import java.util.Objects;

/** A place in a source text: file name (as given by the caller), 1-based line and column. */
public record SourcePos(String file, int line, int col) implements java.io.Serializable {
    public SourcePos {
        Objects.requireNonNull(file, "file");
        if (line < 1 || col < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + col);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
