package dev.gantry;

/**
 * Input from the user (a file, a config key, a command-line argument) is not what Gantry expected.
 *
 * <p>The message always names the offending file or key and says what was expected. The command
 * line maps this exception to exit code 2; nothing that existed before the command is changed.
 */
public class BadInputException extends RuntimeException {

    /**
     * An exception with a message that names what is wrong and what was expected.
     *
     * @param message the message
     */
    public BadInputException(String message) {
        super(message);
    }

    /**
     * An exception with a message that names what is wrong and what was expected, and its cause.
     *
     * @param message the message
     * @param cause what was thrown when the input was read
     */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
