package io.nextbest.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
  enum Order {
    ASC,
    DESC
  }

  /** A resource method as the services declare them. */
  @SuppressWarnings("unused")
  static void page(
      @QueryParam("after") String after,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
      @QueryParam("offset") long offset,
      @QueryParam("order") Order order,
      @QueryParam("share") @DecimalMin("0") Double share) {}

  private static final Method PAGE = method();

  private static Method method() {
    for (Method m : QueryParametersTest.class.getDeclaredMethods()) {
      if (m.getName().equals("page")) {
        return m;
      }
    }
    throw new IllegalStateException("no page method");
  }

  private static Problem.FieldError check(String name, String value) {
    var query = new MultivaluedHashMap<String, String>();
    query.add("after", "c-1");
    query.add(name, value);
    return QueryParameters.unconvertible(PAGE, query);
  }

  @Test
  void aWordForAWholeNumberNamesTheParameterAndItsRange() {
    var bad = check("limit", "abc");
    assertThat(bad.field()).isEqualTo("limit");
    assertThat(bad.message()).isEqualTo("must be a whole number from 1 to 1000; got 'abc'");
  }

  @Test
  void aNumberBeyondTheTypeIsRefusedWithTheDeclaredRange() {
    assertThat(check("limit", "99999999999").message())
        .isEqualTo("must be a whole number from 1 to 1000; got '99999999999'");
  }

  @Test
  void withoutBoundsTheTypesRangeIsTheBound() {
    assertThat(check("offset", "1.5").message())
        .startsWith("must be a whole number from -9223372036854775808 to 9223372036854775807");
  }

  @Test
  void anEnumListsItsValuesAndADecimalItsBound() {
    assertThat(check("order", "up").message()).isEqualTo("must be one of ASC, DESC; got 'up'");
    assertThat(check("share", "half").message())
        .isEqualTo("must be a number of at least 0; got 'half'");
  }

  @Test
  void valuesThatConvertAreNotTheFault() {
    assertThat(check("limit", "5")).isNull();
    assertThat(check("order", "ASC")).isNull();
    assertThat(QueryParameters.unconvertible(null, new MultivaluedHashMap<>())).isNull();
  }

  @Test
  void aLongValueIsEchoedShortened() {
    String huge = "x".repeat(10_000);
    assertThat(check("limit", huge).message()).hasSizeLessThan(120).endsWith("…'");
  }
}
