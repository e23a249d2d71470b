package dev.livecounter.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.livecounter.system.LiveSystem;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The /tables page in two Chromium windows on the two replicas: an edit saved in one shows in the other, and so
 * does a write by another application (the plain AWS SDK), through the table's stream.
 */
class TablesPageIT extends BrowserTest {

    private static final String ROW = "tr.row[data-customer='%s'][data-order-id='%s']";

    @Test
    void anEditInOneWindowShowsInTheOtherAndSoDoesAnOutsideWrite() {
        BrowserWindow editor = openWindow();
        BrowserWindow watcher = openWindow();
        editor.get("http://127.0.0.1:" + LiveSystem.replica(0) + "/tables");
        watcher.get("http://127.0.0.1:" + LiveSystem.replica(1) + "/tables/");
        for (BrowserWindow window : new BrowserWindow[] {editor, watcher}) {
            awaitText(window, "#state", "live", "data-state");
            awaitCell(window, "grace", "2026-0003", "col-item", "Compiler manual");
        }

        editor.driver().findElement(By.cssSelector(String.format(ROW, "grace", "2026-0003"))).click();
        WebElement status = editor.driver().findElement(By.id("edit-status"));
        status.clear();
        status.sendKeys("shipped");
        WebElement total = editor.driver().findElement(By.id("edit-total"));
        total.clear();
        total.sendKeys("41.5");
        editor.driver().findElement(By.id("edit-save")).click();
        awaitText(editor, "#edit-form", "saved", "data-state");
        awaitCell(watcher, "grace", "2026-0003", "col-status", "shipped");
        awaitCell(watcher, "grace", "2026-0003", "col-total", "41.5");

        try (DynamoDbClient outside = LiveSystem.get().dynamoDbClient()) {
            outside.putItem(r -> r.tableName("orders").item(Map.of(
                    "customer", AttributeValue.fromS("alan"), "orderId", AttributeValue.fromS("2026-0099"),
                    "item", AttributeValue.fromS("Bombe rotor"), "status", AttributeValue.fromS("placed"),
                    "total", AttributeValue.fromN("7"), "updatedAt", AttributeValue.fromS("2026-12-07T10:00:00Z"),
                    "card", AttributeValue.fromS("4111"))));
            for (BrowserWindow window : new BrowserWindow[] {editor, watcher}) {
                awaitCell(window, "alan", "2026-0099", "col-item", "Bombe rotor");
                assertFalse(window.driver().getPageSource().contains("4111"), "the hidden attribute never reaches a page");
            }
            outside.deleteItem(r -> r.tableName("orders").key(Map.of(
                    "customer", AttributeValue.fromS("alan"), "orderId", AttributeValue.fromS("2026-0099"))));
            Awaitility.await().atMost(Duration.ofSeconds(60)).alias("the deleted row gone from the watcher")
                    .until(() -> watcher.driver().findElements(By.cssSelector(String.format(ROW, "alan", "2026-0099"))).isEmpty());
        }
    }

    private static void awaitCell(BrowserWindow window, String customer, String orderId, String column, String value) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).alias(customer + "/" + orderId + " " + column + " = " + value)
                .until(() -> {
                    var cells = window.driver().findElements(By.cssSelector(String.format(ROW, customer, orderId) + " td." + column));
                    return !cells.isEmpty() && value.equals(cells.get(0).getAttribute("data-value"));
                });
    }

    private static void awaitText(BrowserWindow window, String selector, String value, String attribute) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).alias(selector + " " + attribute + " = " + value)
                .until(() -> value.equals(window.driver().findElement(By.cssSelector(selector)).getAttribute(attribute)));
        assertEquals(value, window.driver().findElement(By.cssSelector(selector)).getAttribute(attribute));
    }
}
