package io.nextbest.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.nextbest.common.json.JsonSetup;

/**
 * The services' ObjectMapper outside Quarkus: Quarkus' defaults (java.time, Optional and parameter
 * names modules, dates as ISO text), the services' {@code
 * quarkus.jackson.fail-on-unknown-properties =true} (nextbest-common's
 * microprofile-config.properties) and {@link JsonSetup}'s customisation.
 */
final class ServiceJson {
  private ServiceJson() {}

  static ObjectMapper mapper() {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .registerModule(new ParameterNamesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    new JsonSetup().customize(mapper);
    return mapper;
  }

  /** Writes the server's value as a service writes it, and reads it as the client reads it. */
  static <T> T roundTrip(Object server, Class<T> client) throws Exception {
    ObjectMapper mapper = mapper();
    return mapper.readValue(mapper.writeValueAsString(server), client);
  }
}
