package io.nextbest.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * The services' JSON settings beyond Quarkus' defaults: doubles are written and read with Jackson's
 * fast (Schubfach / FastDoubleParser) routines, and instants in the services' own UTC form are read
 * by {@link IsoInstants}; every other instant form, and every error message, stays Jackson's. A
 * number that is not finite (NaN, ±Infinity) is written as {@code null}: JSON has no such number,
 * and Jackson's default, the string {@code "NaN"}, breaks every reader expecting a number.
 */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

  /** Last, after Quarkus has registered the java.time module this overrides for instants. */
  @Override
  public int priority() {
    return MINIMUM_PRIORITY;
  }

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.configure(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature(), true);
    mapper.configure(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature(), true);
    mapper.registerModule(
        new SimpleModule("nextbest-instants").addDeserializer(Instant.class, new Instants()));
    FiniteDoubles doubles = new FiniteDoubles();
    mapper.registerModule(
        new SimpleModule("nextbest-finite-numbers")
            .addSerializer(Double.class, doubles)
            .addSerializer(Double.TYPE, doubles)
            .addSerializer(Float.class, new FiniteFloats())
            .addSerializer(Float.TYPE, new FiniteFloats()));
  }

  /** Finite doubles as numbers (the fast writer), NaN and infinities as null. */
  static final class FiniteDoubles extends StdScalarSerializer<Double> {
    FiniteDoubles() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (Double.isFinite(value)) {
        gen.writeNumber(value.doubleValue());
      } else {
        gen.writeNull();
      }
    }
  }

  /** Finite floats as numbers, NaN and infinities as null. */
  static final class FiniteFloats extends StdScalarSerializer<Float> {
    FiniteFloats() {
      super(Float.class);
    }

    @Override
    public void serialize(Float value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (Float.isFinite(value)) {
        gen.writeNumber(value.floatValue());
      } else {
        gen.writeNull();
      }
    }
  }

  /** UTC instants by the fast path, anything else by Jackson's own deserializer. */
  static final class Instants extends StdScalarDeserializer<Instant> {
    Instants() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        Instant fast = IsoInstants.parseUtc(p.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
  }
}
