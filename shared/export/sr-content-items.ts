import { formatDs, type CodedConcept } from './dicom-seg.ts';

// Content items of a DICOM SR document tree (PS3.3 C.17.3), in dcmjs naturalized form.

type Ds = Record<string, unknown>;

/** A coded concept as a code sequence item. */
export const code = (c: CodedConcept): Ds => ({ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning });

/** A content item with its relationship to its parent. */
export interface Item {
  readonly rel: 'CONTAINS' | 'HAS CONCEPT MOD' | 'HAS OBS CONTEXT' | 'HAS PROPERTIES';
  readonly ds: Ds;
}

/** A content item of `valueType` named `name`, with `value` fields and child items. */
export const item = (rel: Item['rel'], valueType: string, name: CodedConcept, value: Ds, children: readonly Item[] = []): Item => ({
  rel,
  ds: {
    RelationshipType: rel,
    ValueType: valueType,
    ConceptNameCodeSequence: [code(name)],
    ...value,
    ...(children.length ? { ContentSequence: children.map((c) => c.ds) } : {}),
  },
});
/** CODE, TEXT (control characters blanked, 1024 characters at most), UIDREF, CONTAINER and NUM items. */
export const codeItem = (rel: Item['rel'], name: CodedConcept, value: CodedConcept, children: readonly Item[] = []): Item =>
  item(rel, 'CODE', name, { ConceptCodeSequence: [code(value)] }, children);
export const textItem = (rel: Item['rel'], name: CodedConcept, text: string): Item =>
  item(rel, 'TEXT', name, { TextValue: text.replace(/[\u0000-\u0008\u000b-\u001f]/g, ' ').slice(0, 1024) });
export const uidItem = (rel: Item['rel'], name: CodedConcept, uid: string): Item => item(rel, 'UIDREF', name, { UID: uid });
export const containerItem = (rel: Item['rel'], name: CodedConcept, children: readonly Item[], template?: string): Item =>
  item(
    rel,
    'CONTAINER',
    name,
    {
      ContinuityOfContent: 'SEPARATE',
      ...(template ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: template }] } : {}),
    },
    children,
  );
export const numItem = (name: CodedConcept, value: number, unit: CodedConcept, children: readonly Item[]): Item =>
  item(
    'CONTAINS',
    'NUM',
    name,
    { MeasuredValueSequence: [{ NumericValue: formatDs(value), MeasurementUnitsCodeSequence: [code(unit)] }] },
    children,
  );
