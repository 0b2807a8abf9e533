package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PassMemoTest {
  private final AtomicInteger computed = new AtomicInteger();

  private Supplier<String> compute(String result) {
    return () -> {
      computed.incrementAndGet();
      return result;
    };
  }

  @Test
  void theSameObjectsAndEqualValuesGetLastPassResult() {
    PassMemo memo = new PassMemo();
    List<String> spec = new ArrayList<>(List.of("a"));
    Object cached = new Object();

    assertThat(memo.get("k", 3L, compute("first"), spec, cached)).isEqualTo("first");
    memo.passDone();
    assertThat(memo.get("k", 3L, compute("second"), spec, cached)).isEqualTo("first");

    assertThat(computed).hasValue(1);
  }

  @Test
  void anEqualCopyAnotherValueOrAnotherKeyIsComputedAgain() {
    PassMemo memo = new PassMemo();
    List<String> spec = List.of("a");
    memo.get("k", 3L, compute("first"), spec);
    memo.passDone();

    assertThat(memo.get("k", 3L, compute("copy"), new ArrayList<>(spec))).isEqualTo("copy");
    assertThat(memo.get("k", 4L, compute("value"), spec)).isEqualTo("value");
    assertThat(memo.get("other", 3L, compute("key"), spec)).isEqualTo("key");
    assertThat(memo.get("k", null, compute("null"), spec)).isEqualTo("null");
    assertThat(memo.get("k", null, compute("two"), spec, null)).isEqualTo("two");
  }

  @Test
  void whatAPassDidNotAskForIsForgotten() {
    PassMemo memo = new PassMemo();
    Object o = new Object();
    memo.get("k", null, compute("first"), o);
    memo.passDone();
    memo.passDone(); // a pass that did not ask for k

    assertThat(memo.get("k", null, compute("again"), o)).isEqualTo("again");
  }

  @Test
  void noneKeepsNothing() {
    PassMemo memo = PassMemo.none();
    Object o = new Object();
    memo.get("k", null, compute("first"), o);

    assertThat(memo.get("k", null, compute("second"), o)).isEqualTo("second");
  }
}
