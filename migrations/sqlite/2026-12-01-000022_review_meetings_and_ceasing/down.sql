DROP TABLE plan_ceasings;
DROP TABLE review_meetings;
