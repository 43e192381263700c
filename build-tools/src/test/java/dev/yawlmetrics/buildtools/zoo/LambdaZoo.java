package dev.yawlmetrics.buildtools.zoo;

import dev.yawlmetrics.buildtools.zoo.other.Base;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntFunction;
import java.util.function.LongBinaryOperator;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Every shape of lambda and method reference the desugarer meets in the agent's jar, each run
 * once: {@link #run()} returns what they computed, which must not change by desugaring.
 */
public class LambdaZoo implements Greeter {
    private static final Supplier<String> STATIC_SUPPLIER = () -> "static-init";
    private final String name;
    private final List<String> list = new ArrayList<>();
    private int counter;

    public LambdaZoo(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    private void increment() {
        counter++;
    }

    private static String shout(String s) {
        return s.toUpperCase() + "!";
    }

    static Integer boxedLength(String s) {
        return s.length();
    }

    Supplier<String> instanceLambda() {
        return () -> name + "#" + counter;
    }

    public static Supplier<String> nonCapturing() {
        return () -> "same";
    }

    public static String run() {
        StringBuilder out = new StringBuilder();
        LambdaZoo zoo = new LambdaZoo("zoo");
        Supplier<String> plain = () -> "plain";
        out.append(plain.get()).append('|');

        int i = 7;
        long l = 1L << 40;
        double d = 2.5;
        char c = 'x';
        boolean b = true;
        byte by = -3;
        short sh = 300;
        float f = 1.5f;
        String str = "str";
        Supplier<String> captures = () -> i + ":" + l + ":" + d + ":" + c + ":" + b + ":" + by + ":" + sh + ":" + f + ":" + str;
        out.append(captures.get()).append('|');

        Runnable incr = zoo::increment;
        incr.run();
        incr.run();
        out.append(zoo.instanceLambda().get()).append('|');

        Function<String, Integer> parse = Integer::parseInt;
        Function<String, Integer> len = String::length;
        Supplier<Integer> boundLen = str::length;
        Function<String, StringBuilder> ctor = StringBuilder::new;
        IntFunction<int[]> array = int[]::new;
        out.append(parse.apply("42") + 1).append(',').append(len.apply("four")).append(',').append(boundLen.get())
           .append(',').append(ctor.apply("sb").reverse()).append(',').append(array.apply(5).length).append('|');

        ToLongFunction<Integer> widenReturn = Integer::intValue;
        ToIntFunction<String> unboxReturn = LambdaZoo::boxedLength;
        IntBinaryOperator max = Math::max;
        DoubleUnaryOperator abs = Math::abs;
        LongFunction<String> longToString = Long::toString;
        BiFunction<Integer, Integer, Integer> add = Integer::sum;
        BinaryOperator<Long> sumLong = Long::sum;
        LongBinaryOperator mix = (x, y) -> x * 31 + y;
        Function<Character, Integer> numeric = Character::getNumericValue;
        out.append(widenReturn.applyAsLong(Integer.MAX_VALUE) + 1).append(',').append(unboxReturn.applyAsInt("abc"))
           .append(',').append(max.applyAsInt(3, 9)).append(',').append(abs.applyAsDouble(-4.25)).append(',')
           .append(longToString.apply(l)).append(',').append(add.apply(2, 40)).append(',').append(sumLong.apply(l, 1L))
           .append(',').append(mix.applyAsLong(l, 5)).append(',').append(numeric.apply('7')).append('|');

        Consumer<String> addToList = zoo.list::add;
        addToList.accept("a");
        addToList.accept("b");
        Predicate<String> isEmpty = String::isEmpty;
        Function<Object, String> toStr = Object::toString;
        Supplier<List<String>> listCtor = ArrayList::new;
        Function<List<String>, String> first = xs -> xs.get(0);
        Comparator<String> byLength = Comparator.comparing(String::length);
        List<String> sorted = listCtor.get();
        sorted.add("ccc");
        sorted.add("a");
        sorted.add("bb");
        sorted.sort(byLength.reversed());
        out.append(zoo.list).append(',').append(isEmpty.test("")).append(',').append(toStr.apply(12))
           .append(',').append(first.apply(zoo.list)).append(',').append(sorted).append('|');

        Function<String, String> shout = LambdaZoo::shout;
        Function<String, String> bracket = Helper::packagePrivate;
        IntFunction<String> helperInstance = Helper.make()::instanceMethod;
        out.append(shout.apply("hey")).append(',').append(bracket.apply("p")).append(',').append(helperInstance.apply(3)).append('|');

        out.append(zoo.greet("bob")).append(',').append(Greeter.quietly("LOUD")).append('|');
        out.append(new Nested().run()).append(',').append(new Sub().viaProtected()).append('|');

        Supplier<String> serializable = (Supplier<String> & Serializable) () -> "serializable";
        out.append(serializable.get()).append(',').append(STATIC_SUPPLIER.get()).append('|');

        try {
            Supplier<String> thrower = () -> {
                throw new IllegalStateException("boom");
            };
            thrower.get();
        } catch (IllegalStateException e) {
            out.append(e.getMessage()).append('|');
        }
        out.append("same=").append(nonCapturing() == nonCapturing());
        Supplier<String> capturing = captures;
        out.append(",distinct=").append(capturingTwice(str) != capturingTwice(str)).append(',').append(capturing != null);
        return out.toString();
    }

    private static Supplier<String> capturingTwice(String s) {
        return () -> s;
    }

    /** A nestmate referring to its host's private method: the reference stays an invokedynamic. */
    static final class Nested {
        String run() {
            Function<String, String> viaNestmate = LambdaZoo::shout;
            return viaNestmate.apply("nest");
        }
    }

    /** A reference to a protected method inherited from another package. */
    static final class Sub extends Base {
        String viaProtected() {
            Supplier<String> s = this::hidden;
            return s.get();
        }
    }
}
