import { assertEquals } from "../../tests/_assert.ts";
import { isValidName, MAX_NAME_LENGTH } from "./name.ts";

Deno.test("isValidName() accepts the documented alphabet and rejects everything else", () => {
  for (const good of ["build", "a", "db.migrate", "x_y-z", "A9", "a".repeat(MAX_NAME_LENGTH)]) {
    assertEquals(isValidName(good), true, good);
  }
  for (
    const bad of [
      "",
      "-x",
      ".x",
      "a..b",
      "../x",
      "a/b",
      "a\\b",
      "a b",
      "a\0b",
      "é",
      "a".repeat(MAX_NAME_LENGTH + 1),
      "..",
      "x\n",
    ]
  ) {
    assertEquals(isValidName(bad), false, JSON.stringify(bad));
  }
});
