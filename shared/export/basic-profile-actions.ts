/**
 * What the DICOM PS3.15 Basic Profile does to an attribute (Annex E, Table E.1-1, "Basic Profile"
 * column): `X` remove, `Z` empty (zero-length), `D` replace with a dummy value (here: a keyed
 * pseudonym or remapped value), `K` keep.
 */
export type BasicProfileAction = 'X' | 'Z' | 'D' | 'K';

/**
 * Basic Profile actions for attributes found in CT, SEG and related objects (Table E.1-1), by
 * attribute keyword. Attributes not listed are handled by VR in `Deidentifier` (UIDs remapped,
 * dates shifted, other person names emptied, private and unknown attributes removed).
 */
export const BASIC_PROFILE_ACTIONS: Readonly<Record<string, BasicProfileAction>> = {
  PatientName: 'D', PatientID: 'D', PatientBirthDate: 'Z', PatientSex: 'Z', AccessionNumber: 'Z', StudyID: 'Z',
  ReferringPhysicianName: 'Z', ContentCreatorName: 'Z', StudyTime: 'Z',
  DeviceSerialNumber: 'D',
  // X: removed
  OtherPatientIDs: 'X', OtherPatientNames: 'X', OtherPatientIDsSequence: 'X', PatientBirthName: 'X', PatientAddress: 'X',
  PatientTelephoneNumbers: 'X', PatientTelecomInformation: 'X', PatientMotherBirthName: 'X', MilitaryRank: 'X',
  BranchOfService: 'X', MedicalRecordLocator: 'X', EthnicGroup: 'X', Occupation: 'X', PatientReligiousPreference: 'X',
  AdditionalPatientHistory: 'X', PatientComments: 'X', PatientAge: 'X', PatientSize: 'X', PatientWeight: 'X',
  PatientBirthTime: 'X', PatientInsurancePlanCodeSequence: 'X', MedicalAlerts: 'X', Allergies: 'X', PregnancyStatus: 'X',
  SmokingStatus: 'X', LastMenstrualDate: 'X', CountryOfResidence: 'X', RegionOfResidence: 'X', ResponsiblePerson: 'X',
  ResponsibleOrganization: 'X', IssuerOfPatientID: 'X', IssuerOfAccessionNumberSequence: 'X', AdmissionID: 'X',
  CurrentPatientLocation: 'X', PatientState: 'X', VisitComments: 'X', PatientInstitutionResidence: 'X',
  InstitutionName: 'X', InstitutionAddress: 'X', InstitutionCodeSequence: 'X', InstitutionalDepartmentName: 'X',
  StationName: 'X', ReferringPhysicianAddress: 'X', ReferringPhysicianTelephoneNumbers: 'X',
  ReferringPhysicianIdentificationSequence: 'X', ConsultingPhysicianName: 'X', PhysiciansOfRecord: 'X',
  PhysiciansOfRecordIdentificationSequence: 'X', PerformingPhysicianName: 'X', PerformingPhysicianIdentificationSequence: 'X',
  NameOfPhysiciansReadingStudy: 'X', PhysiciansReadingStudyIdentificationSequence: 'X', OperatorsName: 'X',
  OperatorIdentificationSequence: 'X', AdmittingDiagnosesDescription: 'X', AdmittingDiagnosesCodeSequence: 'X',
  ReferencedPatientSequence: 'X', ReferencedStudySequence: 'X', ReferencedPerformedProcedureStepSequence: 'X',
  RequestAttributesSequence: 'X', RequestingPhysician: 'X', RequestingService: 'X', RequestedProcedureDescription: 'X',
  RequestedProcedureID: 'X', ScheduledProcedureStepDescription: 'X', PerformedProcedureStepDescription: 'X',
  PerformedProcedureStepID: 'X', PerformedStationName: 'X', PerformedLocation: 'X', ImageComments: 'X',
  StudyComments: 'X', StudyDescription: 'X', SeriesDescription: 'X', ProtocolName: 'X', DerivationDescription: 'X',
  AcquisitionComments: 'X', AcquisitionDeviceProcessingDescription: 'X', DetectorID: 'X', GantryID: 'X',
  TextComments: 'X', FillerOrderNumberImagingServiceRequest: 'X', PlacerOrderNumberImagingServiceRequest: 'X',
  OrderEnteredBy: 'X', OrderEntererLocation: 'X', OrderCallbackPhoneNumber: 'X', ReasonForStudy: 'X',
  RequestedContrastAgent: 'X', ServiceEpisodeID: 'X', ServiceEpisodeDescription: 'X', ScheduledPerformingPhysicianName: 'X',
  IdentifyingComments: 'X', ClinicalTrialSponsorName: 'X', ClinicalTrialSubjectID: 'X', ClinicalTrialSiteName: 'X',
  // kept although of a de-identifiable VR
  PatientIdentityRemoved: 'K', DeidentificationMethod: 'K', DeidentificationMethodCodeSequence: 'K',
  LongitudinalTemporalInformationModified: 'K',
};
