/** The package ships no types: the part of its API the FHIR test helper uses. */
declare module '@asymmetrik/fhir-json-schema-validator' {
  interface AjvLike {
    compile(
      schema: object,
    ): ((data: unknown) => boolean) & { errors?: { dataPath?: string; message?: string; params?: unknown }[] | null };
  }
  export default class JSONSchemaValidator {
    ajv: AjvLike;
    schema: Record<string, unknown>;
    validator: (data: unknown) => boolean;
  }
}
