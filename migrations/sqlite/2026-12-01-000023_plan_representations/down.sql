DROP TABLE plan_consultations;
DROP TABLE plan_representations;
