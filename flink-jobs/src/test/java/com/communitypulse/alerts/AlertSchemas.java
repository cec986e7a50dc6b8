package com.communitypulse.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The alert JSON Schema from the job's resources, loaded once per test class. */
final class AlertSchemas {
    private AlertSchemas() {}

    static JsonSchema load() {
        try (InputStream in = AlertSchemas.class.getResourceAsStream("/schemas/alert.schema.json")) {
            if (in == null) throw new IllegalStateException("schemas/alert.schema.json is not on the classpath");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<ValidationMessage> validate(JsonSchema schema, JsonNode record) {
        return schema.validate(record);
    }
}
